// Custom resource handler of ApiGatewayAccountSetting (api-gateway-account.ts), deployed inline.
// API Gateway's CloudWatch role is ONE setting per account and region, shared by every REST API
// there; CloudFormation's AWS::ApiGateway::Account overwrites it silently and fails now and then
// while a new role's trust policy propagates. This sets it only when it is unset or was set by this
// resource, retries while IAM propagates, refuses to replace a role someone else set, and leaves the
// setting in place on delete (the role is retained with it).
'use strict';
const {
  APIGatewayClient,
  GetAccountCommand,
  UpdateAccountCommand,
} = require('@aws-sdk/client-api-gateway');

const client = new APIGatewayClient({});
const DEFAULT_RETRY_DELAYS_MS = [2000, 4000, 8000, 15000, 30000, 30000, 30000];
// What API Gateway answers while the new role is not assumable yet.
const PROPAGATING = /role ARN does not have required permissions|grant trust permission/i;

exports.handler = async (event) => {
  const physicalResourceId =
    event.PhysicalResourceId || `apigateway-account-${process.env.AWS_REGION}`;
  let response = { Status: 'SUCCESS', Reason: 'unchanged', Data: {} };
  try {
    if (event.RequestType !== 'Delete')
      response = { Status: 'SUCCESS', ...(await ensureRole(event)) };
  } catch (error) {
    response = {
      Status: 'FAILED',
      Reason: String(error && error.message ? error.message : error).slice(0, 3000),
      Data: {},
    };
  }
  await send(event, {
    ...response,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  return response;
};

async function ensureRole(event) {
  const wanted = event.ResourceProperties.CloudWatchRoleArn;
  const previous = event.OldResourceProperties
    ? event.OldResourceProperties.CloudWatchRoleArn
    : undefined;
  const delays = event.ResourceProperties.RetryDelaysMs
    ? event.ResourceProperties.RetryDelaysMs.map(Number)
    : DEFAULT_RETRY_DELAYS_MS;
  const current = (await client.send(new GetAccountCommand({}))).cloudwatchRoleArn || undefined;
  if (current === wanted)
    return { Reason: `already ${wanted}`, Data: { CloudWatchRoleArn: wanted, Changed: 'false' } };
  if (current && current !== previous) {
    throw new Error(
      `API Gateway in this account and region already writes its logs through ${current}, which this stack did not set. ` +
        `That role serves every REST API here; adopt it instead of replacing it: context stages.<stage>.apiGatewayCloudWatchRoleArn=${current} (README, "Deploying").`,
    );
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(
        new UpdateAccountCommand({
          patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: wanted }],
        }),
      );
      return {
        Reason: `set to ${wanted} after ${attempt + 1} attempt(s)`,
        Data: { CloudWatchRoleArn: wanted, Changed: 'true', Attempts: String(attempt + 1) },
      };
    } catch (error) {
      if (!PROPAGATING.test(String(error && error.message)) || attempt >= delays.length)
        throw error;
      console.log(
        JSON.stringify({
          level: 'INFO',
          message: 'role not assumable by API Gateway yet; retrying',
          attempt: attempt + 1,
          delayMs: delays[attempt],
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}

async function send(event, body) {
  const payload = JSON.stringify(body);
  const result = await fetch(event.ResponseURL, {
    method: 'PUT',
    body: payload,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(payload)) },
  });
  if (!result.ok) throw new Error(`CloudFormation response upload failed: ${result.status}`);
}
