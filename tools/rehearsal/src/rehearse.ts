import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installStandIns, readPipeline, readState, runBuildSpec } from '@sm/release';

import {
  artifactDir,
  commandVerdict,
  gateStageOf,
  stagesDeployedBy,
  withQuickGate,
} from './replay';
import { startStageStandIn, type StageStandIn } from './stage-stand-in';

/** How a step of the rehearsal ended. */
export type Verdict = 'passed' | 'failed' | 'skipped' | 'stand-in' | 'not run';

export interface StepVerdict {
  /** Pipeline stage / action. */
  readonly action: string;
  /** The step (a buildspec command, or what stood in for the action). */
  readonly step: string;
  readonly verdict: Verdict;
  readonly seconds: number;
  readonly note: string;
}

export interface RehearsalOptions {
  /** The workspace (the checkout being "released"). */
  readonly root: string;
  /** The synthesized cloud assembly holding the pipeline and both stages. */
  readonly assemblyDir: string;
  /** Where stand-in state, markers and gate reports go. */
  readonly workDir: string;
  /**
   * The short form (CI): the Test action is left out (CI ran the same gates just before) and the
   * load gate runs the short load tests and fuzzing (`--quick` added to its command).
   */
  readonly quick: boolean;
  /** The commit recorded as last deployed to each stage before the rehearsal. @default 'none' (a first release) */
  readonly since?: string;
  /** Each command's output. @default this process's stdout/stderr */
  readonly output?: 'inherit' | ((text: string) => void);
  readonly log: (line: string) => void;
}

/**
 * `npm run release:rehearse`: replays the synthesized pipeline's actions in order on this machine,
 * running each CodeBuild action's own buildspec with CodeBuild's phase rules, with explicit local
 * stand-ins where AWS would be: the source is this checkout, SSM and STS are the `aws` stand-in
 * (a local state file), `cdk deploy` deploys nothing (it publishes the templates' parameters into
 * that state), the preflight's AWS reads are stood in, and the staging stage the gate tests is the
 * local runtime running staging's nested assembly, reached through its per-API URLs, which a local
 * CloudFormation/SSM stand-in hands to the load tests and fuzzing as the stage's outputs. The
 * pipeline stops at the first failed action, as CodePipeline does.
 */
export async function rehearse(options: RehearsalOptions): Promise<StepVerdict[]> {
  const { root, assemblyDir, workDir, log } = options;
  const actions = readPipeline(assemblyDir);
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const deployedStages = stagesDeployedBy(actions);
  const standIns = installStandIns(join(workDir, 'stand-ins'), {
    ssm: Object.fromEntries(
      deployedStages.map((stage) => [
        `/sm/pipeline/${stage}/last-deployed-commit`,
        options.since ?? 'none',
      ]),
    ),
    // Each service's deploy target synthesizes, runs the preflight and `cdk deploy` against AWS:
    // stood in whole; it publishes the stack's parameters from cdk.out as CloudFormation would.
    deployVia: 'nx',
    assembly: assemblyDir,
    // The preflight reads the account's Lambda quota and reservations with the AWS SDK.
    npm: { '^run -s preflight ': 'pass' },
  });
  log(`rehearsing the release of ${head.slice(0, 12)}: ${actions.map((a) => a.name).join(' → ')}`);
  log(
    `stand-ins: aws (SSM/STS) and the services' deploy targets → ${relative(root, standIns.statePath)}; preflight → passes without AWS; staging → the local runtime`,
  );

  const verdicts: StepVerdict[] = [];
  const artifactDirs = new Map<string, string>();
  let stopped: string | undefined;
  for (const action of actions) {
    const label = `${action.stage}/${action.name}`;
    if (stopped) {
      verdicts.push({
        action: label,
        step: '(whole action)',
        verdict: 'not run',
        seconds: 0,
        note: `the pipeline stopped at ${stopped}`,
      });
      continue;
    }
    if (action.kind === 'source') {
      verdicts.push({
        action: label,
        step: 'source',
        verdict: 'stand-in',
        seconds: 0,
        note: `this checkout at ${head.slice(0, 12)} stands in for the ${action.provider} clone`,
      });
      continue;
    }
    if (action.kind === 'approval') {
      verdicts.push({
        action: label,
        step: 'manual approval',
        verdict: 'stand-in',
        seconds: 0,
        note: 'approved by the rehearsal',
      });
      continue;
    }
    if (
      options.quick &&
      action.buildSpec.phases.build?.commands.includes('bash tools/release/steps/test.sh')
    ) {
      verdicts.push({
        action: label,
        step: 'test.sh',
        verdict: 'skipped',
        seconds: 0,
        note: 'short form: CI ran npm test, load:quick and fuzz:quick just before',
      });
      continue;
    }
    const actionWorkDir = join(workDir, action.name);
    mkdirSync(actionWorkDir, { recursive: true });
    const buildSpec = options.quick ? withQuickGate(action.buildSpec) : action.buildSpec;
    const gateStage = gateStageOf(buildSpec);
    let stage: StageStandIn | undefined;
    try {
      if (gateStage) {
        const started = performance.now();
        // The stage runs what was deployed: a copy of the assembly, which the gate's own synth
        // (into cdk.out) cannot change under the running functions.
        const deployed = join(actionWorkDir, 'deployed-assembly');
        cpSync(assemblyDir, deployed, { recursive: true });
        stage = await startStageStandIn({
          assemblyDir: deployed,
          stage: gateStage,
          logFile: join(actionWorkDir, `${gateStage}-runtime.log`),
        });
        verdicts.push({
          action: label,
          step: `${gateStage} stage`,
          verdict: 'stand-in',
          seconds: (performance.now() - started) / 1000,
          note: stage.describe,
        });
      }
      const env: NodeJS.ProcessEnv = {
        ...standIns.env,
        ...stage?.env,
        RELEASE_WORK_DIR: actionWorkDir,
        ...Object.fromEntries(
          action.inputs
            .filter((input) => artifactDirs.has(input))
            .map((input) => [`CODEBUILD_SRC_DIR_${input}`, artifactDirs.get(input)]),
        ),
      };
      const installed = 'this checkout is already installed (npm ci)';
      if (buildSpec.phases.install)
        verdicts.push({
          action: label,
          step: 'install',
          verdict: 'skipped',
          seconds: 0,
          note: installed,
        });
      const result = await runBuildSpec(buildSpec, {
        cwd: root,
        env,
        projectVariables: action.variables,
        skip: { install: installed },
        output: options.output,
        onCommand: (command) => {
          const verdictFile = gateStage
            ? join(artifactDir(buildSpec, actionWorkDir), gateStage, 'verdict.json')
            : undefined;
          const gateVerdict =
            verdictFile && existsSync(verdictFile)
              ? (JSON.parse(readFileSync(verdictFile, 'utf8')) as { load?: string; fuzz?: string })
              : undefined;
          verdicts.push(commandVerdict(label, command, readState(standIns.statePath), gateVerdict));
          log(
            `${command.exitCode === 0 ? 'passed' : 'FAILED'}  ${label}: ${command.command} (${command.seconds.toFixed(1)} s)`,
          );
        },
      });
      for (const output of action.outputs)
        artifactDirs.set(output, artifactDir(buildSpec, actionWorkDir));
      if (result.status === 'FAILED') stopped = `${label} (${result.failedPhase} phase)`;
    } finally {
      await stage?.close();
    }
  }
  return verdicts;
}
