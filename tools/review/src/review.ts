import {
  compareSources,
  GitRefSource,
  summarize,
  WorkingTreeSource,
  type Change,
  type Summary,
} from '@sm/contract-diff';
import { readAssembly, type StackView } from './assembly';
import { callsTo, findConsumers, type ContractConsumers } from './consumers/consumers';
import type { ClientCall } from './consumers/client-calls';
import { runConsumerChecks, type ConsumerCheck } from './consumers/checks';
import { planDeploys, type DeployPlan } from './deploy/plan';
import { git, isDirty, resolveCommit } from './git';
import {
  diffStacks,
  strandedValues,
  type StackDiff,
  type StrandedValue,
} from './infra/stack-diffs';
import { synthBase, synthHead, type Synthesized } from './infra/synth';
import { readNx } from './nx';

export interface ReviewOptions {
  /** Repository root; the head is its working tree. */
  readonly root: string;
  /** The base as the user named it (`origin/main`, a SHA). */
  readonly base: string;
  /** Targets run on each consumer of a changed contract; empty skips the checks. @default ['typecheck', 'test'] */
  readonly consumerTargets: readonly string[];
  /** Synthesize both sides and diff the templates. @default true */
  readonly infra: boolean;
  /** An already synthesized assembly of the base commit (skips the base synth). */
  readonly baseAssembly?: string;
  /** An already synthesized assembly of the working tree (skips the head synth). */
  readonly headAssembly?: string;
  /** Progress lines (stderr in the CLI). */
  readonly log: (line: string) => void;
}

/** One operation a contract change touches, with every change on it and who calls it here. */
export interface OperationReview {
  readonly contract: string;
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly breaking: boolean;
  readonly changes: readonly Change[];
  /** Calls through the generated client in this repository's services: empty means external clients only. */
  readonly callers: readonly ClientCall[];
}

export interface ConsumerReview {
  readonly project: string;
  readonly calls: readonly ClientCall[];
  readonly checks: readonly ConsumerCheck[];
}

export interface InfrastructureReview {
  readonly stacks: readonly StackDiff[];
  /** Values published in SSM whose source this change replaces: their readers must deploy again. */
  readonly stranded: readonly StrandedValue[];
  readonly base: { readonly ms: number; readonly packages: Synthesized['packages'] | 'given' };
  readonly head: { readonly ms: number; readonly packages: Synthesized['packages'] | 'given' };
}

export interface ReviewResult {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly commit: string; readonly dirty: boolean };
  readonly contracts: Summary;
  readonly operations: readonly OperationReview[];
  readonly consumers: readonly ConsumerReview[];
  readonly deployPlan: DeployPlan;
  /** The diff, or why there is none (`error`: a side failed to synthesize, which fails the review). */
  readonly infrastructure:
    InfrastructureReview | { readonly skipped: string; readonly error?: string };
  readonly verdict: {
    readonly ok: boolean;
    readonly reasons: readonly string[];
    readonly warnings: readonly string[];
  };
  /** Milliseconds per step. */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The whole review: contracts, consumers, deploy plan, infrastructure diff, verdict.
 *
 * The slow parts run side by side where they can: the base is synthesized in its own checkout
 * while, in the working tree, the consumers' checks run and then the head is synthesized (those
 * two one after the other: both run Nx tasks that regenerate the same contract clients).
 */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const { root, log } = options;
  const timings: Record<string, number> = {};
  const timed = <T>(step: string, work: () => T): T => {
    const started = Date.now();
    try {
      return work();
    } finally {
      timings[step] = Date.now() - started;
    }
  };
  const timedAsync = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[step] = Date.now() - started;
    }
  };
  const baseCommit = resolveCommit(root, options.base);
  const head = { commit: git(root, 'rev-parse', 'HEAD').trim(), dirty: isDirty(root) };

  log(`contracts: oasdiff against ${options.base} (${baseCommit.slice(0, 12)})`);
  const contracts = timed('contracts', () =>
    summarize(
      options.base,
      compareSources(new GitRefSource(root, baseCommit), new WorkingTreeSource(root)),
    ),
  );
  log('nx: project graph and the affected deploy tasks');
  const nx = timed('nx', () => readNx(root, baseCommit));
  log('consumers: calls through the generated clients');
  const consumersByContract = timed('consumers', () =>
    findConsumers(root, nx, contracts.contracts),
  );
  const operations = operationsOf(contracts, consumersByContract);
  const consumerProjects = [
    ...new Set(consumersByContract.flatMap((c) => c.calls.map((call) => call.project))),
  ].sort();

  const synthesized: Synthesized[] = [];
  const keep = (synth: Synthesized) => {
    synthesized.push(synth);
    return synth;
  };
  // A side that cannot be synthesized is part of the summary, not the end of it.
  const attempt = <T>(work: Promise<T>): Promise<Attempt<T>> =>
    work.then(
      (value) => ({ value }),
      (error: unknown) => ({ error: (error as Error).message }),
    );
  let basePromise: Promise<Attempt<AssemblySide> | undefined> = Promise.resolve(undefined);
  try {
    basePromise = !options.infra
      ? Promise.resolve(undefined)
      : options.baseAssembly
        ? attempt(Promise.resolve(givenSide(options.baseAssembly)))
        : attempt(
            timedAsync('base synth', () => synthBase(root, baseCommit, log)).then((synth) =>
              synthesizedSide(keep(synth)),
            ),
          );
    const checks = await timedAsync('consumer checks', () =>
      options.consumerTargets.length === 0
        ? Promise.resolve([])
        : runConsumerChecks(root, nx, consumerProjects, options.consumerTargets, log),
    );
    const headSide: Attempt<AssemblySide> | undefined = options.headAssembly
      ? await attempt(Promise.resolve(givenSide(options.headAssembly)))
      : options.infra
        ? await attempt(
            timedAsync('head synth', () => synthHead(root, log)).then((synth) =>
              synthesizedSide(keep(synth)),
            ),
          )
        : undefined;
    const baseSide = await basePromise;
    const headStacks = headSide && 'value' in headSide ? headSide.value.stacks : undefined;
    const deployPlan = planDeploys(nx, headStacks);
    let infrastructure: ReviewResult['infrastructure'] = { skipped: 'not asked for (--no-infra)' };
    if (headSide && baseSide) {
      if ('error' in headSide || 'error' in baseSide) {
        const [side, failed] = 'error' in headSide ? ['head', headSide] : ['base', baseSide];
        infrastructure = {
          skipped: `the ${side} could not be synthesized`,
          error: 'error' in failed ? failed.error : '',
        };
      } else {
        const base = baseSide.value;
        const head = headSide.value;
        infrastructure = {
          stacks: timed('template diff', () => diffStacks(base.stacks, head.stacks, deployPlan)),
          stranded: strandedValues(base.stacks, head.stacks),
          base: base.info,
          head: head.info,
        };
      }
    }
    const consumers = consumerProjects.map((project) => ({
      project,
      calls: consumersByContract.flatMap((c) => c.calls.filter((call) => call.project === project)),
      checks: checks.filter((c) => c.project === project),
    }));
    return {
      base: { ref: options.base, commit: baseCommit },
      head,
      contracts,
      operations,
      consumers,
      deployPlan,
      infrastructure,
      verdict: verdictOf(contracts, consumers, deployPlan, infrastructure),
      timings,
    };
  } finally {
    // Whatever failed, let the base synth finish before removing what it built.
    await basePromise.catch(() => undefined);
    for (const synth of synthesized) synth.cleanup();
  }
}

type Attempt<T> = { readonly value: T } | { readonly error: string };

interface AssemblySide {
  readonly stacks: StackView[];
  readonly info: InfrastructureReview['base'];
}

function givenSide(dir: string): AssemblySide {
  return { stacks: readAssembly(dir), info: { ms: 0, packages: 'given' } };
}

function synthesizedSide(synth: Synthesized): AssemblySide {
  return { stacks: readAssembly(synth.assembly), info: { ms: synth.ms, packages: synth.packages } };
}

/** Contract changes grouped by operation, each with the calls that reach it. */
function operationsOf(
  contracts: Summary,
  consumers: readonly ContractConsumers[],
): OperationReview[] {
  const byKey = new Map<
    string,
    { review: Omit<OperationReview, 'breaking' | 'changes'>; changes: Change[] }
  >();
  for (const report of contracts.contracts) {
    const contractCalls = consumers.find((c) => c.path === report.path)?.calls ?? [];
    for (const change of report.changes) {
      if (!change.operation) continue;
      const key = `${report.path} ${change.operation.method} ${change.operation.path}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          review: {
            contract: report.path,
            method: change.operation.method,
            path: change.operation.path,
            ...(change.operation.operationId ? { operationId: change.operation.operationId } : {}),
            callers: callsTo(contractCalls, change.operation.method, change.operation.path),
          },
          changes: [],
        };
        byKey.set(key, entry);
      }
      entry.changes.push(change);
    }
  }
  return [...byKey.values()].map(({ review, changes }) => ({
    ...review,
    breaking: changes.some((c) => c.class === 'breaking'),
    changes,
  }));
}

function verdictOf(
  contracts: Summary,
  consumers: readonly ConsumerReview[],
  plan: DeployPlan,
  infrastructure: ReviewResult['infrastructure'],
): ReviewResult['verdict'] {
  const reasons: string[] = [];
  const warnings: string[] = [];
  if ('error' in infrastructure) reasons.push(`${infrastructure.skipped}: see Infrastructure`);
  if (contracts.unmarkedBreaking > 0) {
    reasons.push(
      `${contracts.unmarkedBreaking} breaking contract change(s) without a major info.version bump`,
    );
  }
  const failed = consumers.flatMap((c) => c.checks.filter((k) => k.status === 'failed'));
  if (failed.length > 0) {
    reasons.push(
      `consumer check(s) failed: ${failed.map((f) => `${f.project}:${f.target}`).join(', ')}`,
    );
  }
  for (const stage of plan.stages) {
    for (const problem of stage.problems)
      warnings.push(
        `deploy plan${stage.configuration ? ` (${stage.configuration})` : ''}: ${problem}`,
      );
  }
  if ('stacks' in infrastructure) {
    const undeployed = infrastructure.stacks.filter(
      (s) => s.status !== 'unchanged' && s.deployedBy.length === 0,
    );
    for (const value of infrastructure.stranded) {
      const readers = [
        ...value.readAtDeploy.map((r) => `${r} (at deployment)`),
        ...value.readAtRunTime.map((r) => `${r} (at run time)`),
      ];
      warnings.push(
        `${value.parameterName} (${value.stackName}) changes: ${value.why}${readers.length > 0 ? `; read by ${readers.join(', ')}` : ''}`,
      );
    }
    for (const stack of undeployed) {
      warnings.push(
        `${stack.id} changes, but \`nx affected -t deploy\` does not deploy it: deploy it by hand or fix the graph`,
      );
    }
  }
  return { ok: reasons.length === 0, reasons, warnings };
}
