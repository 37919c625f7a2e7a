import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';

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

/** The line that marks an executable as a stand-in, so a stand-in never passes a call to another. */
const STAND_IN_MARKER = '# release stand-in (tools/release/src/stand-ins)';

/**
 * The first `tool` on PATH that is not a stand-in: where a stand-in passes the calls it does not
 * take over. Skipping every stand-in (not only this one's) matters when stand-ins are installed
 * under a process that already runs with stand-ins, e.g. the release tool's own tests inside a
 * rehearsal's Test action: each would otherwise hand its calls to the other, forever.
 */
function realExecutable(tool: string, path: string): string {
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      if (!head(candidate).includes(STAND_IN_MARKER)) return candidate;
    } catch {
      // not there, or not executable: keep looking
    }
  }
  throw new Error(`no ${tool} on PATH besides stand-ins: ${path}`);
}

/** The first bytes of a file (where a stand-in's marker is), without reading a whole binary. */
function head(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(256);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

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
      `#!/bin/sh\n${STAND_IN_MARKER}\nexec '${process.execPath}' '${join(__dirname, `${tool}.cjs`)}' "$@"\n`,
    );
    chmodSync(file, 0o755);
  }
  const statePath = join(dir, 'state.json');
  writeState(statePath, state);
  const which = (tool: string) => realExecutable(tool, baseEnv['PATH'] ?? '');
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
