import { join, relative } from 'node:path';
import type { BuildSpec, CommandResult, PipelineAction, StandInState } from '@sm/release';
import type { StepVerdict } from './rehearse';

/** The gate step's command; the rehearsal runs the runtime for its stage while it runs. */
const GATE_COMMAND = /^bash tools\/release\/steps\/load-gate\.sh ([a-z][a-z0-9-]*)$/;
/** The directory the steps' work dir stands for in the source tree (`artifacts.base-directory`). */
const WORK_DIR_IN_SOURCE = '.release';

/** Verdict line for one buildspec command, with what the stand-ins saw where that tells more. */
export function commandVerdict(
  action: string,
  command: CommandResult,
  state: StandInState,
  /** The gate's verdict.json, read after a load-gate step. */
  gateVerdict?: { load?: string; fuzz?: string },
): StepVerdict {
  const step = command.command
    .replace(/^bash tools\/release\/steps\/([a-z-]+)\.sh/, '$1')
    .replace(/ "\$CODEBUILD_SRC_DIR_\w+"/, '');
  let note = '';
  const stage = /^(deploy|record) ([a-z-]+)$/.exec(step)?.[2];
  if (step.startsWith('deploy ') && stage) {
    const deployed = (state.calls ?? []).flatMap((c) =>
      c.tool === 'npx' && c.args[1] === 'run'
        ? (new RegExp(`^(\\w+):deploy:${stage}$`).exec(c.args[2] ?? '')?.[1] ?? [])
        : [],
    );
    note = `stand-in deploy targets: ${deployed.join(', ') || 'nothing to deploy'}`;
  } else if (step.startsWith('record ') && stage) {
    note = `stand-in SSM: /sm/pipeline/${stage}/last-deployed-commit = ${state.ssm[`/sm/pipeline/${stage}/last-deployed-commit`]?.slice(0, 12)}`;
  } else if (step.startsWith('preflight ')) {
    note = 'stand-in: the account quota read is not rehearsed';
  } else if (step.startsWith('load-gate ')) {
    note = gateVerdict
      ? `load ${gateVerdict.load}, fuzz ${gateVerdict.fuzz}`
      : 'no verdict written';
  }
  return {
    action,
    step,
    verdict: command.exitCode === 0 ? 'passed' : 'failed',
    seconds: command.seconds,
    note,
  };
}

export function stagesDeployedBy(actions: readonly PipelineAction[]): string[] {
  return actions.flatMap((action) =>
    action.kind === 'build'
      ? (action.buildSpec.phases.build?.commands ?? []).flatMap(
          (command) =>
            /^bash tools\/release\/steps\/deploy\.sh ([a-z][a-z0-9-]*)$/.exec(command)?.[1] ?? [],
        )
      : [],
  );
}

export function gateStageOf(buildSpec: BuildSpec): string | undefined {
  for (const command of buildSpec.phases.build?.commands ?? []) {
    const stage = GATE_COMMAND.exec(command.replace(/ --quick$/, ''))?.[1];
    if (stage) return stage;
  }
  return undefined;
}

/** The short form: the gate's command with `--quick`, which the rehearsal's output shows as run. */
export function withQuickGate(buildSpec: BuildSpec): BuildSpec {
  const build = buildSpec.phases.build;
  if (!build) return buildSpec;
  return {
    ...buildSpec,
    phases: {
      ...buildSpec.phases,
      build: { commands: build.commands.map((c) => (GATE_COMMAND.test(c) ? `${c} --quick` : c)) },
    },
  };
}

/** Where an action's output artifact is: its `base-directory`, under the action's work dir. */
export function artifactDir(buildSpec: BuildSpec, actionWorkDir: string): string {
  const base =
    (buildSpec.artifacts as { 'base-directory'?: string } | undefined)?.['base-directory'] ??
    WORK_DIR_IN_SOURCE;
  if (base !== WORK_DIR_IN_SOURCE && !base.startsWith(`${WORK_DIR_IN_SOURCE}/`))
    throw new Error(`artifacts.base-directory ${base} is outside ${WORK_DIR_IN_SOURCE}/`);
  return join(actionWorkDir, relative(WORK_DIR_IN_SOURCE, base));
}
