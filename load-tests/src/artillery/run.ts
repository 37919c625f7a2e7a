import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/** The pinned Artillery's CLI, run with the Node that runs the loader (the repo's Node 22). */
const ARTILLERY_BIN = join(WORKSPACE_ROOT, 'node_modules', 'artillery', 'bin', 'run');

/** Where Artillery runs a script: this machine, or AWS Fargate tasks in the caller's account. */
export type ArtilleryPlatform = 'local' | 'fargate';

export interface ArtilleryRun {
  scriptPath: string;
  /** Artillery's JSON report (`--output`). */
  reportPath: string;
  platform: ArtilleryPlatform;
  /** Fargate tasks (`run-fargate --count`). @default 1 */
  count?: number;
  /** Fargate's region (`run-fargate --region`); required there. */
  region?: string;
  /** Added to Artillery's environment (e.g. the processor's `SM_LOAD_ACK_FILE`). */
  env?: Record<string, string>;
  /** Hard limit on the whole run, seconds; past it Artillery is stopped and the run fails. */
  timeoutSeconds: number;
  /** Artillery's output goes here, line by line. @default discarded */
  onOutput?: (text: string) => void;
}

/**
 * The command line of a run: `artillery run` here, `artillery run-fargate --count N --region R` beyond
 * one machine (Artillery starts N Fargate tasks, each running the whole script, and aggregates their
 * metrics into one report and one `ensure` verdict).
 */
export function artilleryArgs(
  run: Pick<ArtilleryRun, 'scriptPath' | 'reportPath' | 'platform' | 'count' | 'region'>,
): string[] {
  if (run.platform === 'local') return ['run', '--output', run.reportPath, run.scriptPath];
  if (!run.region)
    throw new Error('artillery run-fargate needs a region: pass --region or set AWS_REGION');
  return [
    'run-fargate',
    '--count',
    String(run.count ?? 1),
    '--region',
    run.region,
    '--output',
    run.reportPath,
    run.scriptPath,
  ];
}

/** The environment Artillery runs in: no telemetry, no browser download, ever. */
export function artilleryEnv(
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...env,
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    ...extra,
  };
}

export interface ArtilleryExit {
  /** 0 when every `ensure` condition held; 1 when one failed or the run errored. */
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

/** Runs Artillery once, stopping it (SIGTERM, then SIGKILL) past the time limit. */
export function runArtillery(run: ArtilleryRun): Promise<ArtilleryExit> {
  const args = artilleryArgs(run);
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [ARTILLERY_BIN, ...args], {
      cwd: WORKSPACE_ROOT,
      env: artilleryEnv(run.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        chunks.push(text);
        run.onOutput?.(text);
      });
    }
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const stop = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    }, run.timeoutSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(stop);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(stop);
      if (kill) clearTimeout(kill);
      resolveRun({ exitCode, timedOut, output: chunks.join('') });
    });
  });
}
