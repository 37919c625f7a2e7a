import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_STAGE } from '@sm/infra';
import { chooseTarget, TARGET_OPTIONS, TARGET_USAGE, type TargetChoice } from '@sm/stage-target';

/** Schemathesis test phases (`--phases`). */
export type Phase = 'examples' | 'coverage' | 'fuzzing' | 'stateful';

/** One fuzz run: which contracts, how much data, how long. */
export interface FuzzOptions {
  mode: 'quick' | 'full';
  /**
   * What is fuzzed: the local runtime (default; each contract at its API's own base URL on it), a
   * deployed stage (`--stage`), or base URLs given with `--api`.
   */
  target: TargetChoice;
  /** Cloud assembly the local runtime runs. */
  assemblyDir: string;
  /** Contract names (`contracts/<name>`); empty = every contract with a bundled `openapi.json`. */
  contracts: string[];
  /** Test cases per operation and phase (`--max-examples`). */
  maxExamples: number;
  /**
   * Schemathesis' own time budget per contract (`--max-time`): fuzzing repeats until it is spent.
   * Unset in quick mode, where the amount of data is fixed by `maxExamples` and the seed.
   */
  maxTimeSeconds: number | undefined;
  /** Hard wall-clock limit per contract: past it the run is stopped and counts as a failure. */
  timeoutSeconds: number;
  /**
   * Hypothesis seed, always passed so every run can be replayed with `--seed`: quick mode fixes it
   * so CI sends the same requests every time; the full run draws a fresh one.
   */
  seed: number;
  phases: Phase[];
  workers: number;
  /** Keep testing an operation after its first failure, to find every distinct one (`--continue-on-failure`). */
  continueOnFailure: boolean;
  /** Where schemathesis writes its JSON and JUnit reports (one sub-directory per contract). */
  reportDir: string | undefined;
}

/** The CI run: fixed seed, few examples, no stateful phase; about a minute on two cores. */
export const QUICK_SEED = 20261127;

const PRESETS: Record<
  FuzzOptions['mode'],
  Omit<FuzzOptions, 'mode' | 'target' | 'assemblyDir' | 'contracts' | 'reportDir' | 'seed'> & {
    seed?: number;
  }
> = {
  quick: {
    maxExamples: 10,
    maxTimeSeconds: undefined,
    timeoutSeconds: 90,
    seed: QUICK_SEED,
    phases: ['examples', 'coverage', 'fuzzing'],
    // One worker per contract: operations run in a fixed order, so shared state (a user one
    // operation registers, another signs in) and with it every answer is the same on every run.
    workers: 1,
    continueOnFailure: false,
  },
  full: {
    maxExamples: 100,
    maxTimeSeconds: 120,
    timeoutSeconds: 300,
    phases: ['examples', 'coverage', 'fuzzing', 'stateful'],
    workers: 2,
    continueOnFailure: true,
  },
};

export const USAGE = `Usage: npm run fuzz -- [options]     (npm run fuzz:quick = --quick)

Starts the local runtime from the cloud assembly (in memory, 127.0.0.1, a free port), or takes a
deployed stage, signs a fuzz user in, seeds a profile and a location, and runs schemathesis against
every contract at its own API's base URL.

Target (default: the local runtime):
${TARGET_USAGE}

  --quick              the CI run: seed ${QUICK_SEED}, 10 examples per operation, no stateful phase
  --contract NAME      only this contract (auth, profile, location); repeatable
  --assembly DIR       cloud assembly (default cdk.out; run \`npm run synth\` first)
  --max-examples N     test cases per operation and phase
  --max-time S         schemathesis' time budget per contract (fuzzing repeats until spent)
  --timeout S          hard limit per contract; past it the run fails
  --seed N             hypothesis seed (every run prints its seed: pass it to replay)
  --phases LIST        comma-separated: examples,coverage,fuzzing,stateful
  --workers N          concurrent schemathesis workers
  --report-dir DIR     keep schemathesis' JSON and JUnit reports here (default tmp/fuzz/<time>)
  -h, --help           this text`;

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return parsed;
}

function nonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return parsed;
}

function parsePhases(value: string | undefined): Phase[] | undefined {
  if (value === undefined) return undefined;
  const known: Phase[] = ['examples', 'coverage', 'fuzzing', 'stateful'];
  const phases = value.split(',').map((phase) => phase.trim());
  const unknown = phases.filter((phase) => !known.includes(phase as Phase));
  if (unknown.length > 0 || phases.length === 0)
    throw new Error(`--phases takes ${known.join(', ')}; got ${value}`);
  return phases as Phase[];
}

/** Parses the command line; `undefined` means help was asked for. */
export function parseFuzzArgs(argv: string[]): FuzzOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...TARGET_OPTIONS,
      quick: { type: 'boolean', default: false },
      contract: { type: 'string', multiple: true },
      assembly: { type: 'string', default: 'cdk.out' },
      'max-examples': { type: 'string' },
      'max-time': { type: 'string' },
      timeout: { type: 'string' },
      seed: { type: 'string' },
      phases: { type: 'string' },
      workers: { type: 'string' },
      'report-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const mode = values.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const maxTime = positiveInteger('--max-time', values['max-time']);
  return {
    mode,
    target: chooseTarget(values, { stage: DEFAULT_STAGE }),
    assemblyDir: values.assembly,
    contracts: values.contract ?? [],
    maxExamples: positiveInteger('--max-examples', values['max-examples']) ?? preset.maxExamples,
    maxTimeSeconds: maxTime ?? preset.maxTimeSeconds,
    timeoutSeconds:
      positiveInteger('--timeout', values.timeout) ??
      Math.max(preset.timeoutSeconds, (maxTime ?? 0) * 2),
    // A seed schemathesis draws itself is a 128-bit integer that JSON reports cannot carry exactly.
    seed: nonNegativeInteger('--seed', values.seed) ?? preset.seed ?? randomInt(2 ** 31),
    phases: parsePhases(values.phases) ?? preset.phases,
    workers: positiveInteger('--workers', values.workers) ?? preset.workers,
    continueOnFailure: preset.continueOnFailure,
    reportDir: values['report-dir'],
  };
}
