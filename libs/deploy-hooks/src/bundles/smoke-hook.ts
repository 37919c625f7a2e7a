/**
 * The Lambda entry of the deployment smoke hook (`dist/libs/deploy-hooks/smoke-hook.js`), wired to
 * the real AWS SDK clients. Its logic is in ../smoke-hook.ts.
 */
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createSmokeHook, type LifecycleHookEvent } from '../smoke-hook';

const lambda = new LambdaClient({});
const codedeploy = new CodeDeployClient({});
const decoder = new TextDecoder();

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const handler = createSmokeHook({
  environment: process.env,
  async invoke(versionArn, event) {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: versionArn,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    return {
      functionError: output.FunctionError,
      executedVersion: output.ExecutedVersion,
      payload: parse(output.Payload ? decoder.decode(output.Payload) : 'null'),
    };
  },
  async report(event: LifecycleHookEvent, status) {
    await codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );
  },
  log: (line) => console.log(JSON.stringify({ level: 'INFO', ...line })),
});
