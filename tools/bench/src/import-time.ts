import { spawnSync } from 'node:child_process';
import { median } from './stats';

// Runs inside the fresh process: only the require is timed, so Node's own start-up (the same for
// every bundle) does not blur the differences between bundles.
const PROBE = [
  "const { performance } = require('node:perf_hooks');",
  'const start = performance.now();',
  'require(process.argv[1]);',
  'process.stdout.write(String(performance.now() - start));',
].join('');

/** Milliseconds to `require()` a bundle in a brand-new Node process (module-scope init included). */
export const importOnce = (bundlePath: string, env: NodeJS.ProcessEnv): number => {
  const result = spawnSync(process.execPath, ['-e', PROBE, bundlePath], { env, encoding: 'utf8', timeout: 30_000 });
  const millis = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(millis)) {
    const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').slice(0, 5).join('\n');
    throw new Error(`importing ${bundlePath} failed:\n${why}`);
  }
  return millis;
};

export interface ImportTiming {
  readonly samples: number[];
  readonly median: number;
  readonly min: number;
  readonly error?: string;
}

/**
 * Imports every bundle `runs` times, round-robin (bundle A, B, C, A, B, C, …) so that a burst of
 * load from the other processes on the machine spreads over all bundles instead of skewing one.
 */
export const measureImports = (
  bundles: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
  runs: number,
): Map<string, ImportTiming> => {
  const samples = new Map<string, number[]>([...bundles.keys()].map((key) => [key, []]));
  const errors = new Map<string, string>();
  for (let run = 0; run < runs; run += 1) {
    for (const [key, path] of bundles) {
      if (errors.has(key)) continue;
      try {
        samples.get(key)?.push(importOnce(path, env));
      } catch (error) {
        errors.set(key, error instanceof Error ? error.message : String(error));
      }
    }
  }
  return new Map(
    [...samples].map(([key, values]) => {
      const error = errors.get(key);
      const min = values.length === 0 ? Number.NaN : Math.min(...values);
      return [key, { samples: values, median: median(values), min, ...(error === undefined ? {} : { error }) }];
    }),
  );
};
