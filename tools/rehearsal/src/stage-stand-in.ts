import { createWriteStream } from 'node:fs';
import { relative } from 'node:path';
import { startRuntime } from '@sm/local-runtime';
import { startAwsStandIn } from '@sm/stage-target';
import { stageNamed } from '@sm/infra';

/** A deployed stage, stood in for by the local runtime, and how a step reaches it. */
export interface StageStandIn {
  /** What stands in, for the rehearsal's output. */
  readonly describe: string;
  /** Points the AWS SDK of a step's processes at the local CloudFormation/SSM stand-in. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Runs one stage's nested assembly (`cdk.out/assembly-<Stage>`) in the local runtime (in memory,
 * an ephemeral port) and a local CloudFormation/SSM stand-in on 127.0.0.1 whose stack outputs
 * (`ApiUrl` of `<Stage>-Sm<Svc>`) and parameters (`/sm/<stage>/<svc>/api-url`) are the runtime's
 * per-API base URLs, shaped like the deployed ones. A step that resolves the stage the way it would
 * in AWS (`npm run load -- --stage staging`) then reaches the runtime through the same code path.
 */
export async function startStageStandIn(options: {
  assemblyDir: string;
  stage: string;
  /** Where the runtime's gateway diagnostics go (why a request got a 5xx). */
  logFile: string;
}): Promise<StageStandIn> {
  const stage = stageNamed(options.stage);
  const diagnostics = createWriteStream(options.logFile, { flags: 'a' });
  const closeDiagnostics = () => new Promise<void>((resolve) => diagnostics.end(resolve));
  const runtime = await startRuntime({
    assemblyDir: options.assemblyDir,
    stage: stage.name,
    port: 0,
    host: '127.0.0.1',
    inMemory: true,
    quiet: true,
    log: (line) => diagnostics.write(`${line}\n`),
  }).catch(async (error: unknown) => {
    await closeDiagnostics();
    throw error;
  });
  try {
    const aws = await startAwsStandIn({
      stacks: Object.fromEntries(
        runtime.apis.map((api) => [api.stackName, { ApiUrl: api.baseUrl }]),
      ),
      parameters: Object.fromEntries(
        runtime.apis.map((api) => [`/sm/${stage.name}/${api.service}/api-url`, api.baseUrl]),
      ),
    });
    return {
      describe: `local runtime ${runtime.origin} running assembly-${stage.id} (${runtime.apis.map((api) => `${api.service} ${api.baseUrl}`).join(', ')}; gateway diagnostics in ${relative(process.cwd(), options.logFile)}); CloudFormation/SSM stand-in ${aws.endpoint}`,
      // Endpoints and dummy credentials; a step that assumes the stage's read role signs with those instead.
      env: aws.env,
      close: async () => {
        await aws.close();
        await runtime.close();
        await closeDiagnostics();
      },
    };
  } catch (error) {
    await runtime.close();
    await closeDiagnostics();
    throw error;
  }
}
