import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the stand-in knows of a deployed stage. */
export interface AwsStandInState {
  /** Stack name → its outputs (`OutputKey` → `OutputValue`). A stack not listed does not exist. */
  stacks?: Record<string, Record<string, string>>;
  /** SSM parameter name → value. */
  parameters?: Record<string, string>;
}

/** One call the stand-in answered, for tests to check what the SDK sent. */
export interface AwsStandInCall {
  /** `cloudformation:DescribeStacks`, `ssm:GetParameters`, … */
  action: string;
  /** The DescribeStacks form fields, or the SSM JSON body. */
  input: Record<string, unknown>;
  /** The access key id the request was signed with (SigV4 `Credential=<id>/…`), if signed. */
  accessKeyId: string | undefined;
  /** The region of the signature's credential scope (`Credential=<id>/<date>/<region>/…`). */
  region: string | undefined;
}

export interface AwsStandIn {
  /** `http://127.0.0.1:<port>`: pass it as `AWS_ENDPOINT_URL_CLOUDFORMATION` and `AWS_ENDPOINT_URL_SSM`. */
  endpoint: string;
  calls: AwsStandInCall[];
  /** The environment that points the AWS SDK (and a child process) at the stand-in, with dummy credentials. */
  env: Record<string, string>;
  /**
   * `env` plus an AWS configuration of the stand-in's own (empty files, no profile, no instance
   * metadata): for tests, so nothing of the user's profiles or credentials takes part.
   */
  isolatedEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Dummy credentials the stand-in's env hands the SDK: it signs with them, the stand-in only reads the key id. */
export const STAND_IN_ACCESS_KEY_ID = 'AKIASTANDIN000000000';

/**
 * A local HTTP stand-in for the two AWS APIs a deployed stage's URLs are read from — CloudFormation's
 * `DescribeStacks` (the AWS query protocol, XML answers) and SSM's `GetParameters` (JSON 1.1) —
 * answering from `state`, on 127.0.0.1 only. Tests point the real AWS SDK at it; a rehearsal can point
 * the tools at it with the local runtime's per-API URLs as the "deployed" ones. Never real AWS.
 */
export async function startAwsStandIn(state: AwsStandInState): Promise<AwsStandIn> {
  const calls: AwsStandInCall[] = [];
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => answer(state, req, body, res, calls),
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = {
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ACCESS_KEY_ID: STAND_IN_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: 'stand-in-secret',
    AWS_REGION: 'us-east-1',
  };
  const configDir = mkdtempSync(join(tmpdir(), 'aws-stand-in-'));
  return {
    endpoint,
    calls,
    env,
    isolatedEnv: {
      ...env,
      AWS_CONFIG_FILE: join(configDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(configDir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PROFILE: '',
    },
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(configDir, { recursive: true, force: true });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(
  state: AwsStandInState,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
  calls: AwsStandInCall[],
): void {
  const [, accessKeyId, region] =
    /Credential=([^/]+)\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '') ?? [];
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonSSM.')) {
    const input = JSON.parse(body || '{}') as Record<string, unknown>;
    const operation = target.slice('AmazonSSM.'.length);
    calls.push({ action: `ssm:${operation}`, input, accessKeyId, region });
    if (operation !== 'GetParameters')
      return json(res, 400, {
        __type: 'UnknownOperationException',
        message: `The stand-in does not serve ${operation}`,
      });
    const names = (input['Names'] as string[] | undefined) ?? [];
    const known = names.filter((name) => state.parameters?.[name] !== undefined);
    return json(res, 200, {
      Parameters: known.map((name) => ({
        Name: name,
        Type: 'String',
        Value: state.parameters![name],
        Version: 1,
        DataType: 'text',
      })),
      InvalidParameters: names.filter((name) => !known.includes(name)),
    });
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? '';
  const input = Object.fromEntries(form);
  calls.push({ action: `cloudformation:${action}`, input, accessKeyId, region });
  if (action !== 'DescribeStacks')
    return queryError(
      res,
      'InvalidAction',
      `The stand-in does not serve ${action || 'this request'}`,
    );
  const stackName = form.get('StackName') ?? '';
  const outputs = state.stacks?.[stackName];
  if (!outputs)
    return queryError(res, 'ValidationError', `Stack with id ${stackName} does not exist`);
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${xml(key)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`,
    )
    .join('');
  res
    .writeHead(200, { 'content-type': 'text/xml' })
    .end(
      `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>` +
        `<StackName>${xml(stackName)}</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${xml(stackName)}/${randomUUID()}</StackId>` +
        `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${members}</Outputs>` +
        `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
    })
    .end(JSON.stringify(body));
}

function queryError(res: ServerResponse, code: string, message: string): void {
  res
    .writeHead(400, { 'content-type': 'text/xml' })
    .end(
      `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code>` +
        `<Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
