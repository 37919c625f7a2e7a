import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account the stand-in plays. */
export interface StandInAccount {
  readonly accountId: string;
  /** Lambda `AccountLimit.ConcurrentExecutions`. */
  readonly concurrency: number;
  /** Every function, with its reserved concurrency when it has one. */
  readonly functions: readonly { readonly name: string; readonly reserved?: number }[];
  /** API Gateway's account throttle. @default 10000/s, burst 5000 */
  readonly apiGateway?: {
    readonly rateLimit: number;
    readonly burstLimit: number;
    readonly cloudWatchRoleArn?: string;
  };
  /** How many UpdateAccount calls fail as they do while a new role propagates in IAM. @default 0 */
  readonly propagationFailures?: number;
  /** CloudFormation stacks by name, with their status. @default none */
  readonly stacks?: Readonly<Record<string, string>>;
}

export interface AwsStandIn {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_LAMBDA`, `…_API_GATEWAY`, `…_STS`, `…_CLOUDFORMATION`. */
  readonly endpoint: string;
  /** Every request as `METHOD path` (query included), in arrival order. */
  readonly requests: string[];
  /** API Gateway's account setting as UpdateAccount left it. */
  readonly apiGatewayAccount: { cloudWatchRoleArn: string | undefined };
  /** Bodies PUT to `<endpoint>/cfn-response/…`: what a custom resource answered CloudFormation. */
  readonly cfnResponses: Record<string, unknown>[];
  /** Environment for a process whose SDK clients should talk to the stand-in, with dummy credentials. */
  environment(): Record<string, string>;
  close(): Promise<void>;
}

const PAGE = 2;

/**
 * A stand-in for the few AWS API calls the preflight and the API Gateway account custom resource
 * make (and for CloudFormation's response URL), on 127.0.0.1, speaking each service's
 * wire protocol as the SDK expects it (Lambda and API Gateway REST-JSON, STS and CloudFormation query/XML). The SDK
 * clients are the real ones, pointed here with the standard `AWS_ENDPOINT_URL_<SERVICE>` variables.
 * ListFunctions pages by two, so pagination is exercised.
 */
export async function startAwsStandIn(account: StandInAccount): Promise<AwsStandIn> {
  const requests: string[] = [];
  const apiGatewayAccount = { cloudWatchRoleArn: account.apiGateway?.cloudWatchRoleArn };
  const cfnResponses: Record<string, unknown>[] = [];
  let propagationFailures = account.propagationFailures ?? 0;
  const reply = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
    res
      .writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'stand-in' })
      .end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const path = url.pathname.replace(/\/$/, '');
    if (req.method === 'GET' && path === '/2016-08-19/account-settings') {
      const reserved = account.functions.reduce((sum, fn) => sum + (fn.reserved ?? 0), 0);
      return reply(res, 200, {
        AccountLimit: {
          ConcurrentExecutions: account.concurrency,
          UnreservedConcurrentExecutions: account.concurrency - reserved,
          TotalCodeSize: 80530636800,
          CodeSizeUnzipped: 262144000,
          CodeSizeZipped: 52428800,
        },
        AccountUsage: { FunctionCount: account.functions.length, TotalCodeSize: 1024 },
      });
    }
    if (req.method === 'GET' && path === '/2015-03-31/functions') {
      const start = Number(url.searchParams.get('Marker') ?? 0);
      const page = account.functions.slice(start, start + PAGE);
      const next = start + PAGE < account.functions.length ? String(start + PAGE) : undefined;
      return reply(res, 200, {
        Functions: page.map((fn) => ({
          FunctionName: fn.name,
          FunctionArn: `arn:aws:lambda:eu-west-1:${account.accountId}:function:${fn.name}`,
          Runtime: 'nodejs22.x',
        })),
        ...(next ? { NextMarker: next } : {}),
      });
    }
    const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(path);
    if (req.method === 'GET' && concurrency) {
      const fn = account.functions.find((f) => f.name === decodeURIComponent(concurrency[1]!));
      if (!fn)
        return reply(res, 404, { Type: 'User', message: 'Function not found' }, 'application/json');
      return reply(
        res,
        200,
        fn.reserved === undefined ? {} : { ReservedConcurrentExecutions: fn.reserved },
      );
    }
    if (req.method === 'GET' && path === '/account') {
      const gateway = account.apiGateway ?? { rateLimit: 10_000, burstLimit: 5_000 };
      return reply(res, 200, {
        cloudwatchRoleArn: apiGatewayAccount.cloudWatchRoleArn,
        throttleSettings: { rateLimit: gateway.rateLimit, burstLimit: gateway.burstLimit },
        features: [],
      });
    }
    if (req.method === 'PATCH' && path === '/account') {
      if (propagationFailures > 0) {
        propagationFailures -= 1;
        res.setHeader('x-amzn-errortype', 'BadRequestException');
        return reply(res, 400, {
          message: 'The role ARN does not have required permissions set to API Gateway',
        });
      }
      const patch = (
        JSON.parse(body) as { patchOperations: { op: string; path: string; value: string }[] }
      ).patchOperations;
      for (const op of patch)
        if (op.path === '/cloudwatchRoleArn') apiGatewayAccount.cloudWatchRoleArn = op.value;
      return reply(res, 200, {
        cloudwatchRoleArn: apiGatewayAccount.cloudWatchRoleArn,
        throttleSettings: { rateLimit: 10_000, burstLimit: 5_000 },
      });
    }
    if (req.method === 'PUT' && path.startsWith('/cfn-response')) {
      cfnResponses.push(JSON.parse(body) as Record<string, unknown>);
      return reply(res, 200, '', 'text/plain');
    }
    if (req.method === 'POST' && path === '' && body.includes('Action=DescribeStacks')) {
      const name = decodeURIComponent(/StackName=([^&]+)/.exec(body)?.[1] ?? '');
      const status = account.stacks?.[name];
      const ns = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
      if (!status) {
        return reply(
          res,
          400,
          `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${name} does not exist</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
          'text/xml',
        );
      }
      return reply(
        res,
        200,
        `<DescribeStacksResponse xmlns="${ns}"><DescribeStacksResult><Stacks><member><StackName>${name}</StackName><StackId>arn:aws:cloudformation:eu-west-1:${account.accountId}:stack/${name}/1</StackId><StackStatus>${status}</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        'text/xml',
      );
    }
    if (req.method === 'POST' && path === '' && body.includes('Action=GetCallerIdentity')) {
      const arn = `arn:aws:iam::${account.accountId}:user/preflight-test`;
      return reply(
        res,
        200,
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDASTANDIN</UserId><Account>${account.accountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        'text/xml',
      );
    }
    return reply(res, 400, {
      message: `the stand-in does not answer ${req.method} ${url.pathname}`,
    });
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    apiGatewayAccount,
    cfnResponses,
    environment: () => ({
      AWS_ENDPOINT_URL_LAMBDA: endpoint,
      AWS_ENDPOINT_URL_API_GATEWAY: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIASTANDIN',
      AWS_SECRET_ACCESS_KEY: 'stand-in-secret',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
