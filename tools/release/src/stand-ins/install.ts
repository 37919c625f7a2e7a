import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** The stand-in state (./state.cjs): what the stand-ins hold and what they were asked to do. */
export interface StandInState {
  /** SSM parameters by name. */
  ssm: Record<string, string>;
  /** Every call a stand-in received, in order. */
  calls?: { tool: string; args: string[]; failed: boolean }[];
  /** Regular expressions over "<tool> <args…>": a matching call fails (exit 1) on purpose. */
  fail?: string[];
  /** The answer to `nx show projects --affected`; absent: nx answers. */
  affected?: string[];
  /** "nx": `nx run <svc>:deploy…` is stood in for (no build); "cdk": nx runs, `cdk deploy` is stood in for. */
  deployVia: 'nx' | 'cdk';
  /** Regular expression over the deploy call → SSM parameters it publishes. */
  publish?: Record<string, Record<string, string>>;
  /** A cloud assembly whose templates' SSM parameters a stood-in `cdk deploy` publishes. */
  assembly?: string;
  /** Regular expression over `npm` arguments → the stood-in outcome; other npm calls run for real. */
  npm?: Record<string, 'pass' | 'fail'>;
}

/** Where the stand-ins are and the environment that puts them first on PATH. */
export interface InstalledStandIns {
  readonly binDir: string;
  readonly statePath: string;
  readonly env: NodeJS.ProcessEnv;
}

const TOOLS = ['aws', 'cdk', 'npm', 'npx'] as const;

/**
 * Writes `aws`, `cdk`, `npm` and `npx` executables into `<dir>/bin` that run the stand-ins with this
 * process's Node, and the initial state to `<dir>/state.json`. Put `env` on the steps' processes.
 */
export function installStandIns(
  dir: string,
  state: StandInState,
  baseEnv: NodeJS.ProcessEnv = process.env,
): InstalledStandIns {
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const tool of TOOLS) {
    const file = join(binDir, tool);
    writeFileSync(
      file,
      `#!/bin/sh\nexec '${process.execPath}' '${join(__dirname, `${tool}.cjs`)}' "$@"\n`,
    );
    chmodSync(file, 0o755);
  }
  const statePath = join(dir, 'state.json');
  writeState(statePath, state);
  const which = (tool: string) =>
    execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: baseEnv }).trim();
  return {
    binDir,
    statePath,
    env: {
      ...baseEnv,
      PATH: `${binDir}${delimiter}${baseEnv['PATH'] ?? ''}`,
      RELEASE_STANDIN_STATE: statePath,
      RELEASE_REAL_NPX: which('npx'),
      RELEASE_REAL_NPM: which('npm'),
    },
  };
}

export function writeState(statePath: string, state: StandInState): void {
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
}

export function readState(statePath: string): StandInState {
  return JSON.parse(readFileSync(statePath, 'utf8')) as StandInState;
}
