import { spawn } from 'node:child_process';

/** The part of a CodeBuild buildspec (version 0.2) the pipeline's projects use. */
export interface BuildSpec {
  readonly version: '0.2';
  readonly env?: { readonly shell?: string; readonly variables?: Readonly<Record<string, string>> };
  readonly phases: Partial<Record<PhaseName, { readonly commands: readonly string[] }>>;
  readonly artifacts?: unknown;
  readonly reports?: unknown;
  readonly cache?: unknown;
}

export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface CommandResult {
  readonly phase: PhaseName;
  readonly command: string;
  readonly exitCode: number;
  readonly seconds: number;
}

export interface BuildResult {
  /** SUCCEEDED when every phase that ran succeeded, as CodeBuild reports the build. */
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly commands: readonly CommandResult[];
  /** The phase that failed first, if any. */
  readonly failedPhase?: PhaseName;
  /** Phases skipped on request, with the reason. */
  readonly skipped: readonly { phase: PhaseName; reason: string }[];
}

export interface RunBuildSpecOptions {
  readonly cwd: string;
  /** The environment of the build container (the project's variables are added on top). */
  readonly env: NodeJS.ProcessEnv;
  /** The CodeBuild project's environment variables (plain text ones), which the buildspec's override. */
  readonly projectVariables?: Readonly<Record<string, string>>;
  /** Where each command's output (stdout and stderr) goes. @default this process's stdout/stderr */
  readonly output?: 'inherit' | ((text: string) => void);
  readonly onCommand?: (result: CommandResult) => void;
  /**
   * Phases not to run, each with the reason (e.g. install, when this checkout is already
   * installed); they count as succeeded and are listed in the result.
   */
  readonly skip?: Partial<Record<PhaseName, string>>;
}

/**
 * Runs a buildspec's phases as CodeBuild does (AWS CodeBuild User Guide, "Build phase
 * transitions"): install → pre_build → build → post_build; within a phase the commands run in
 * order and the first failing one ends the phase as failed; a failed install or pre_build ends the
 * build; a failed build phase still runs post_build, and the build is FAILED.
 *
 * One difference, on purpose: each command runs in its own `bash -c` (CodeBuild keeps one shell
 * for the whole build, so a variable one command sets is seen by the next). The pipeline's
 * buildspecs only call step scripts (`bash tools/release/steps/<step>.sh …`), which share no shell
 * state, and the pipeline's tests hold them to that, so both ways run them the same.
 */
export async function runBuildSpec(
  spec: BuildSpec,
  options: RunBuildSpecOptions,
): Promise<BuildResult> {
  if (spec.version !== '0.2')
    throw new Error(`buildspec version ${String(spec.version)}: only 0.2 is supported`);
  const shell = spec.env?.shell ?? 'bash';
  const env = { ...options.env, ...options.projectVariables, ...spec.env?.variables };
  const commands: CommandResult[] = [];
  const skipped: { phase: PhaseName; reason: string }[] = [];
  let failedPhase: PhaseName | undefined;
  for (const phase of PHASES) {
    if (failedPhase && phase !== 'post_build') break;
    if (failedPhase && failedPhase !== 'build') break;
    const skip = options.skip?.[phase];
    if (skip !== undefined && spec.phases[phase]) {
      skipped.push({ phase, reason: skip });
      continue;
    }
    for (const command of spec.phases[phase]?.commands ?? []) {
      const started = performance.now();
      const exitCode = await runCommand(
        shell,
        command,
        options.cwd,
        env,
        options.output ?? 'inherit',
      );
      const result = { phase, command, exitCode, seconds: (performance.now() - started) / 1000 };
      commands.push(result);
      options.onCommand?.(result);
      if (exitCode !== 0) {
        failedPhase ??= phase;
        break;
      }
    }
  }
  return { status: failedPhase ? 'FAILED' : 'SUCCEEDED', commands, failedPhase, skipped };
}

function runCommand(
  shell: string,
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  output: 'inherit' | ((text: string) => void),
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', command], {
      cwd,
      env,
      stdio: [
        'ignore',
        output === 'inherit' ? 'inherit' : 'pipe',
        output === 'inherit' ? 'inherit' : 'pipe',
      ],
    });
    if (output !== 'inherit') {
      child.stdout?.setEncoding('utf8').on('data', output);
      child.stderr?.setEncoding('utf8').on('data', output);
    }
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
