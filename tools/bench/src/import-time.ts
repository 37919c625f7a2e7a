import { spawnSync } from 'node:child_process';
import { median } from './stats';

// Runs inside the fresh process: only the require is timed, so Node's own start-up (the same for
// every bundle) does not blur the differences between bundles. CPU time is taken as well: unlike
// wall time it does not count the time spent waiting for a core other processes hold.
const PROBE = [
  "const { performance } = require('node:perf_hooks');",
  'const cpu = process.cpuUsage();',
  'const start = performance.now();',
  'require(process.argv[1]);',
  'const wall = performance.now() - start;',
  'const used = process.cpuUsage(cpu);',
  'process.stdout.write(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));',
].join('');

/** One import: wall-clock and CPU milliseconds. */
export interface ImportSample {
  readonly wall: number;
  readonly cpu: number;
}

/** Times `require()` of a bundle in a brand-new Node process (module-scope init included). */
export const importOnce = (bundlePath: string, env: NodeJS.ProcessEnv): ImportSample => {
  const result = spawnSync(process.execPath, ['-e', PROBE, bundlePath], { env, encoding: 'utf8', timeout: 30_000 });
  let sample: ImportSample | undefined;
  try {
    sample = JSON.parse(result.stdout) as ImportSample;
  } catch {
    sample = undefined;
  }
  if (result.status !== 0 || sample === undefined || !Number.isFinite(sample.wall) || !Number.isFinite(sample.cpu)) {
    const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').slice(0, 5).join('\n');
    throw new Error(`importing ${bundlePath} failed:\n${why}`);
  }
  return sample;
};

export interface ImportTiming {
  /** Wall-clock milliseconds of each import. */
  readonly samples: number[];
  /** Median wall-clock milliseconds: the figure the target is about. */
  readonly median: number;
  readonly min: number;
  /** Median CPU milliseconds (user + system), robust against other load on the machine. */
  readonly cpuMedian: number;
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
  const samples = new Map<string, ImportSample[]>([...bundles.keys()].map((key) => [key, []]));
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
      const walls = values.map((value) => value.wall);
      return [
        key,
        {
          samples: walls,
          median: median(walls),
          min: walls.length === 0 ? Number.NaN : Math.min(...walls),
          cpuMedian: median(values.map((value) => value.cpu)),
          ...(error === undefined ? {} : { error }),
        },
      ];
    }),
  );
};
