/**
 * The hand-over of invocations from the Lambda service (the runtime's main thread) to an execution
 * environment's worker thread, and the invariants that keep every answer with its call. This is the
 * one place they are written down; each is checked where it could break (see "checked by").
 *
 * Messages. This thread posts `[seq, slot, requestId, eventJson, traceId]` per invocation; the worker
 * answers `{ type: 'result', seq, requestId, … }`. `seq` numbers the hand-overs of one environment
 * (1, 2, 3, …; never reused). `slot` is the claim word of an invocation queued behind another one
 * (see I3), or -1 for one handed to an idle environment, which runs it at once.
 *
 * I1. Identity. An answer is delivered only to the hand-over whose `seq` and request id it carries,
 *     and only when that hand-over is the oldest one outstanding on its environment (I2). Anything
 *     else is an internal error: the environment is destroyed, each of its outstanding calls gets
 *     `LocalRuntime.InternalError`, the error is printed and counted (`stats().internalErrors`).
 *     No answer is ever handed to another call.
 *     Checked by: `ExecutionEnvironment.onResult`.
 *
 * I2. Order. The worker starts hand-overs in the order they were posted, skipping those taken back
 *     (I3), one at a time. So this thread's list of outstanding hand-overs, in posting order, is the
 *     run order: its head is the invocation running (or answered, the answer not read yet), the rest
 *     are queued behind it.
 *     Checked by: I1's check (an answer out of order is an answer that is not the head's).
 *
 * I3. Claims. A queued hand-over holds one claim word, allocated from its environment's free list:
 *     allocation swaps the word from 0 to `seq` and fails loudly if the word was not 0, so no two
 *     hand-overs ever share one. Until one side claims it, the word holds `seq`; the worker claims it
 *     to run the invocation, this thread to take it back, each with compareExchange(seq → 0), so
 *     exactly one of them does. A stale claim (a message for a word since reused) compares against
 *     its own `seq` and fails. The word returns to the free list only once its claim is settled:
 *     taken back here, or the invocation answered (the worker claimed it before running it).
 *     Checked by: `ClaimWords.allocate`, `ExecutionEnvironment.checkInvariants`.
 *
 * I4. Counters. `outstanding` (shared) = hand-overs posted − taken back − answered: this thread adds
 *     one per post and subtracts one per take-back; the worker subtracts one just before it answers,
 *     so a busy main thread can tell an environment that has answered from one still running.
 *     `lastAnswered` (shared) is the seq of the worker's latest answer, written before the answer is
 *     posted; answers follow I2's order, so it only grows. The function's `running` is not kept
 *     anywhere: it is the sum of its environments' outstanding hand-overs, counted when needed, and
 *     `inFlight` (admitted, not answered) must equal waiting + running.
 *     Checked by: `ExecutionEnvironment.onResult` (0 ≤ outstanding ≤ this thread's count) and
 *     `LambdaService.checkInvariants`.
 *
 * I5. Timeouts. A hand-over times out only if, when its timer fires, the worker has not answered it
 *     (`lastAnswered < seq`): an answer given in time and read late by this thread is delivered. An
 *     answer whose own duration exceeds the timeout is a timeout, as Lambda would have ended it.
 *     Checked by: `ExecutionEnvironment.onTimeout`, `ExecutionEnvironment.onResult`.
 *
 * I6. Freeze. Between invocations the worker thread is frozen, as Lambda freezes an execution
 *     environment: it blocks in `Atomics.wait` on `doorbell`, so timers, callbacks and log lines of
 *     the last invocation wait for the next one. This thread posts first and rings after (store 1,
 *     notify); the worker clears the bell before it looks for messages, so no hand-over is missed.
 *
 * I7. Updates. A function's spec (code and configuration) changes by `LambdaService.update`; each
 *     spec is a generation, each invocation carries the generation it was admitted in, each
 *     environment the one it was started from (its spec is fixed at construction). An invocation
 *     runs only on an environment of its own generation or a later one: new invocations go only to
 *     environments of the current generation (idle, queued on, or started for them); an environment
 *     of an earlier generation serves only invocations admitted before it was replaced (those
 *     queued on it, or the oldest waiting one if it was admitted early enough) and is retired when
 *     free otherwise — never while it runs something, never idle.
 *     Checked by: `LambdaService.checkInvariants` (no earlier generation idle, INIT counts), and the
 *     randomized update test (every answer names the spec that ran it).
 */

/** Indexes into an environment's shared control block. */
export const ControlWord = {
  outstanding: 0,
  lastAnswered: 1,
  doorbell: 2,
  /** The first of `CLAIM_SLOTS` claim words. */
  firstClaim: 3,
} as const;

/**
 * Claim words per environment: more than it ever has queued (`QUEUE_MAX_DEPTH` in
 * execution-environment.ts); when none is free the environment takes no queued invocation.
 */
export const CLAIM_SLOTS = 16;

/** `[seq, slot, requestId, eventJson, traceId]`: an array clones faster than an object. */
export type HandOverMessage = [number, number, string, string, string];

export function createControlBlock(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (ControlWord.firstClaim + CLAIM_SLOTS)));
}

/** A broken invariant of the hand-over: a defect in the runtime, never the function's fault. */
export class HandOverError extends Error {
  override readonly name = 'HandOverError';
}

/** The claim words of one environment (I3), allocated explicitly by this thread. */
export class ClaimWords {
  private readonly free: number[] = Array.from(
    { length: CLAIM_SLOTS },
    (_, i) => CLAIM_SLOTS - 1 - i,
  );

  constructor(private readonly control: Int32Array) {}

  get available(): number {
    return this.free.length;
  }

  /** Takes a free word and sets it to `seq`; undefined when none is free. */
  allocate(seq: number): number | undefined {
    const slot = this.free.pop();
    if (slot === undefined) return undefined;
    const previous = Atomics.compareExchange(this.control, ControlWord.firstClaim + slot, 0, seq);
    if (previous !== 0) {
      throw new HandOverError(`claim word ${slot} allocated for #${seq} still holds #${previous}`);
    }
    return slot;
  }

  /** This thread claims the queued hand-over `seq` to take it back; false when the worker has. */
  claim(slot: number, seq: number): boolean {
    return Atomics.compareExchange(this.control, ControlWord.firstClaim + slot, seq, 0) === seq;
  }

  /** The word's claim is settled (taken back, or its invocation answered): it may serve again. */
  release(slot: number): void {
    this.free.push(slot);
  }

  /** Current value of a word: `seq` while unclaimed, 0 once claimed or free. */
  read(slot: number): number {
    return Atomics.load(this.control, ControlWord.firstClaim + slot);
  }

  /** Violations of I3 for the given queued hand-overs (`[slot, seq]`); empty when all hold. */
  check(queued: ReadonlyArray<readonly [number, number]>): string[] {
    const problems: string[] = [];
    const held = new Set<number>();
    for (const [slot, seq] of queued) {
      if (held.has(slot)) problems.push(`claim word ${slot} held by two queued hand-overs`);
      held.add(slot);
      if (this.free.includes(slot))
        problems.push(`claim word ${slot} of #${seq} is on the free list`);
      const value = this.read(slot);
      if (value !== seq && value !== 0)
        problems.push(`claim word ${slot} of #${seq} holds #${value}`);
    }
    for (const slot of this.free) {
      const value = this.read(slot);
      if (value !== 0) problems.push(`free claim word ${slot} holds #${value}`);
    }
    if (held.size + this.free.length !== CLAIM_SLOTS) {
      problems.push(
        `${held.size} claim words held and ${this.free.length} free, of ${CLAIM_SLOTS}`,
      );
    }
    return problems;
  }
}
