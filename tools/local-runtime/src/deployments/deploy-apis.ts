import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AliasRouter } from '../lambda';

/** A lifecycle hook's report to CodeDeploy (`PutLifecycleEventHookExecutionStatus`). */
export interface HookReport {
  deploymentId: string;
  lifecycleEventHookExecutionId: string;
  status: 'Succeeded' | 'Failed';
}

/** The two AWS APIs a deployment hook calls, on 127.0.0.1. */
export interface DeployApis {
  /** For functions: `AWS_ENDPOINT_URL_LAMBDA` and `AWS_ENDPOINT_URL_CODEDEPLOY`. */
  readonly endpoint: string;
  /** The functions `Invoke` runs (the assembly is read after the endpoint exists: it is in their environment). */
  attach(router: AliasRouter, functionIdsByName: ReadonlyMap<string, string>): void;
  /** Resolves with the report of one hook execution when the hook sends it (CodeDeploy waits the same way). */
  awaitReport(lifecycleEventHookExecutionId: string): Promise<HookReport>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 6 * 1024 * 1024;
const INVOKE = /^\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?(.*))?$/;

/**
 * Stand-ins for what a CodeDeploy lifecycle hook calls, served together on 127.0.0.1:
 *
 * - Lambda `Invoke` (REST-JSON, `POST /2015-03-31/functions/<name or ARN>/invocations`, a
 *   `Qualifier` query or the ARN's own qualifier): runs the named version through the alias router
 *   (`RequestResponse` only), answering as Lambda does: the payload, `X-Amz-Function-Error:
 *   Unhandled` on a function error, `X-Amz-Executed-Version`; `ResourceNotFoundException` (404) for
 *   an unknown function or qualifier, `TooManyRequestsException` (429) when it is throttled.
 * - CodeDeploy `PutLifecycleEventHookExecutionStatus` (JSON 1.1): records the hook's verdict for
 *   the replay waiting on it.
 *
 * Like the SSM stand-in: no signature or IAM check (the templates' grants are tested instead).
 */
export async function startDeployApis(host = '127.0.0.1'): Promise<DeployApis> {
  let router: AliasRouter | undefined;
  let functionIdsByName: ReadonlyMap<string, string> = new Map();
  const reports = new Map<string, HookReport>();
  const waiting = new Map<string, (report: HookReport) => void>();

  const send = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ) => {
    res
      .writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers })
      .end(body);
  };
  const awsError = (
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    json11 = false,
  ) =>
    json11
      ? send(
          res,
          400,
          { 'content-type': 'application/x-amz-json-1.1' },
          JSON.stringify({ __type: type, message }),
        )
      : send(
          res,
          status,
          { 'content-type': 'application/json', 'x-amzn-errortype': type },
          JSON.stringify({ Type: 'User', Message: message }),
        );

  const invoke = async (
    res: ServerResponse,
    target: string,
    query: URLSearchParams,
    body: string,
  ) => {
    const arn = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:]+)(?::([^:]+))?$/.exec(target);
    const name = arn ? arn[1]! : target.split(':')[0]!;
    const qualifier = query.get('Qualifier') ?? (arn ? arn[2] : target.split(':')[1]);
    const functionId = functionIdsByName.get(name);
    if (!functionId || !router)
      return awsError(res, 404, 'ResourceNotFoundException', `Function not found: ${target}`);
    let event: unknown;
    try {
      event = body === '' ? {} : JSON.parse(body);
    } catch {
      return awsError(
        res,
        400,
        'InvalidRequestContentException',
        'Could not parse request body into json',
      );
    }
    const { result, version } = await router.invokeQualified(
      functionId,
      event,
      qualifier ? { qualifier } : {},
    );
    const executed = { 'x-amz-executed-version': version, 'content-type': 'application/json' };
    switch (result.kind) {
      case 'ok':
        return send(res, 200, executed, JSON.stringify(result.payload ?? null));
      case 'throttled':
        return awsError(res, 429, 'TooManyRequestsException', `Rate Exceeded. (${result.reason})`);
      case 'timeout':
        return send(
          res,
          200,
          { ...executed, 'x-amz-function-error': 'Unhandled' },
          JSON.stringify({
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${(result.durationMs / 1000).toFixed(2)} seconds`,
          }),
        );
      case 'error':
        if (result.errorType === 'ResourceNotFoundException')
          return awsError(res, 404, result.errorType, result.errorMessage);
        return send(
          res,
          200,
          { ...executed, 'x-amz-function-error': 'Unhandled' },
          JSON.stringify({
            errorType: result.errorType,
            errorMessage: result.errorMessage,
            trace: result.stackTrace ?? [],
          }),
        );
    }
  };

  const codedeploy = (res: ServerResponse, operation: string, body: string) => {
    if (operation !== 'PutLifecycleEventHookExecutionStatus')
      return awsError(
        res,
        400,
        'UnknownOperationException',
        `${operation} is not served locally`,
        true,
      );
    let input: Partial<HookReport>;
    try {
      input = JSON.parse(body) as Partial<HookReport>;
    } catch {
      return awsError(res, 400, 'SerializationException', 'not JSON', true);
    }
    const id = input.lifecycleEventHookExecutionId;
    if (!input.deploymentId || !id || (input.status !== 'Succeeded' && input.status !== 'Failed')) {
      return awsError(
        res,
        400,
        'InvalidLifecycleEventHookExecutionStatusException',
        'deploymentId, lifecycleEventHookExecutionId and a status of Succeeded or Failed are required',
        true,
      );
    }
    // CodeDeploy takes one status per hook execution.
    if (reports.has(id))
      return awsError(
        res,
        400,
        'LifecycleEventAlreadyCompletedException',
        `The lifecycle event ${id} has already completed`,
        true,
      );
    const report = {
      deploymentId: input.deploymentId,
      lifecycleEventHookExecutionId: id,
      status: input.status,
    };
    reports.set(id, report);
    waiting.get(id)?.(report);
    send(
      res,
      200,
      { 'content-type': 'application/x-amz-json-1.1' },
      JSON.stringify({ lifecycleEventHookExecutionId: id }),
    );
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES)
        return awsError(
          res,
          413,
          'RequestTooLargeException',
          'Request must be smaller than 6291456 bytes',
        );
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const target = String(req.headers['x-amz-target'] ?? '');
      const match = INVOKE.exec(url);
      if (req.method === 'POST' && match) {
        invoke(res, decodeURIComponent(match[1]!), new URLSearchParams(match[2] ?? ''), body).catch(
          (error: unknown) => awsError(res, 500, 'ServiceException', (error as Error).message),
        );
      } else if (req.method === 'POST' && target.startsWith('CodeDeploy_20141006.')) {
        codedeploy(res, target.slice('CodeDeploy_20141006.'.length), body);
      } else {
        awsError(
          res,
          404,
          'UnknownOperationException',
          `${req.method} ${url} is not served locally`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    attach(withRouter, names) {
      router = withRouter;
      functionIdsByName = names;
    },
    awaitReport(id) {
      const known = reports.get(id);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => waiting.set(id, resolve));
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
