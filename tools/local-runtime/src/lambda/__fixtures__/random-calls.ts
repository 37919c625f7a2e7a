/**
 * What the randomized hand-over tests share: a reproducible random source and the mix of calls
 * the identity fixture (`identity.js`) runs, with the outcome Lambda must give each.
 */
import { seededRandom } from '../../seeded-random';
import type { InvokeResult } from '../types';

/** The tests' reproducible random source. */
export const random = seededRandom;

/** What the identity fixture does before it answers. */
export type Behaviour =
  { do: 'spin'; us: number } | { do: 'sleep'; ms: number } | { do: 'throw' } | { do: 'exit' };

export interface Call {
  id: string;
  requestId: string;
  behaviour: Behaviour;
}

/**
 * Mostly short work, so environments take queued calls; some longer work, so queued calls are taken
 * back and handed to environments that free first; a few deaths and timeouts.
 */
export function drawBehaviour(next: () => number, timeoutSeconds: number): Behaviour {
  const roll = next();
  if (roll < 0.55) return { do: 'spin', us: Math.floor(next() * 600) }; // 0–0.6 ms, never yields
  if (roll < 0.8) return { do: 'sleep', ms: Math.floor(next() * 3) }; // 0–2 ms on a timer
  if (roll < 0.93) return { do: 'sleep', ms: 3 + Math.floor(next() * 40) }; // 3–42 ms
  if (roll < 0.97) return { do: 'spin', us: 2_000 + Math.floor(next() * 20_000) }; // 2–22 ms busy
  if (roll < 0.985) return { do: 'throw' };
  if (roll < 0.995) return { do: 'exit' };
  return { do: 'sleep', ms: timeoutSeconds * 1000 + 300 }; // past the timeout
}

/**
 * Why the answer a call got is wrong, or undefined when it is right: answered once, with the
 * outcome its behaviour implies, and (for a success or a thrown error) its own answer.
 */
export function checkAnswer(
  call: Call,
  result: InvokeResult,
  answers: number,
  timeoutSeconds: number,
): string | undefined {
  if (answers !== 1) return `${call.id}: answered ${answers} times`;
  const expected =
    call.behaviour.do === 'throw' || call.behaviour.do === 'exit'
      ? 'error'
      : call.behaviour.do === 'sleep' && call.behaviour.ms > timeoutSeconds * 1000
        ? 'timeout'
        : 'ok';
  if (result.kind !== expected)
    return `${call.id} (${JSON.stringify(call.behaviour)}): expected ${expected}, got ${JSON.stringify(result)}`;
  if (result.kind === 'ok') {
    const payload = result.payload as { id?: string; requestId?: string };
    if (payload.id !== call.id || payload.requestId !== call.requestId) {
      return `${call.id} (request ${call.requestId}) got the answer of ${payload.id} (request ${payload.requestId})`;
    }
  }
  if (
    result.kind === 'error' &&
    call.behaviour.do === 'throw' &&
    !result.errorMessage.endsWith(call.id)
  ) {
    return `${call.id} got the error of another call: ${result.errorMessage}`;
  }
  return undefined;
}
