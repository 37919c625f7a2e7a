import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayTokenAuthorizerEvent,
  Context,
} from 'aws-lambda';
import {
  buildLambdaContext,
  buildProxyEvent,
  buildTokenAuthorizerEvent,
  createTables,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynalite,
  useLocalAwsEnv,
  type AuthorizerPrincipal,
  type Dynalite,
} from '@sm/testing';
import { tables } from '../../src/tables';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type AuthorizerHandler = (event: APIGatewayTokenAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

/** The four Lambda handlers, loaded as one cold start with one environment. */
export interface AuthHandlers {
  readonly createUser: ProxyHandler;
  readonly createToken: ProxyHandler;
  readonly revokeToken: ProxyHandler;
  readonly authorize: AuthorizerHandler;
}

/** A proxy result with its body parsed when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly raw: string;
}

const toAnswer = (result: APIGatewayProxyResult): Answer => {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const raw = result.body ?? '';
  return { status: result.statusCode, headers, raw, body: raw === '' ? undefined : JSON.parse(raw) };
};

/** Everything Powertools writes (logs and EMF metrics, stdout and stderr), one parsed JSON object per line. */
export interface StdoutCapture {
  records(): Record<string, unknown>[];
  text(): string;
  clear(): void;
}

const captureStdout = (): StdoutCapture & { restore(): void } => {
  let chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  // Takes the service's JSON lines (logs on stdout, ERROR/WARN logs on stderr, EMF metrics) out of
  // the way of Jest's report and keeps them to assert on; anything else passes through. Replaced by
  // hand, not with jest.spyOn: the preset's restoreMocks would undo a spy after the first test.
  streams.forEach((stream, index) => {
    const original = originals[index] as typeof stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (!text.startsWith('{')) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      chunks.push(text.endsWith('\n') ? text : `${text}\n`);
      return true;
    }) as typeof stream.write;
  });
  const text = () => chunks.join('');
  return {
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      chunks = [];
    },
    restore: () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index] as typeof stream.write;
      });
    },
  };
};

/** Names of the EMF metrics published in the captured output. */
export const metricNames = (capture: StdoutCapture): string[] =>
  capture
    .records()
    .flatMap((record) => (record._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics ?? [])
    .flatMap((directive) => directive.Metrics.map((metric) => metric.Name));

/** One dynalite per test file, the auth tables created from `src/tables.ts`, the handlers loaded. */
export interface AuthHarness {
  readonly dynalite: Dynalite;
  readonly tableNames: { readonly users: string; readonly tokens: string; readonly attempts: string };
  readonly handlers: AuthHandlers;
  readonly stdout: StdoutCapture;
  /** Loads another cold start of the handlers with extra environment (e.g. a 1 s token lifetime). */
  loadHandlers(env?: Readonly<Record<string, string>>): Promise<AuthHandlers>;
  /** Every item of a table, read with the real SDK. */
  scan(table: 'users' | 'tokens' | 'attempts'): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

const SERVICE_ENV = {
  POWERTOOLS_SERVICE_NAME: 'auth',
  POWERTOOLS_METRICS_NAMESPACE: 'sm-auth-test',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

export const startAuthHarness = async (): Promise<AuthHarness> => {
  // The adapter checks every response against the contract only under Jest; make sure we are.
  if (process.env.JEST_WORKER_ID === undefined) throw new Error('expected to run under Jest');
  const stdout = captureStdout();
  const dynalite = await startDynalite();
  const restoreAwsEnv = useLocalAwsEnv(dynalite.endpoint);
  const names = await createTables(dynalite.endpoint, tables);
  const tableNames = { users: names.Users as string, tokens: names.Tokens as string, attempts: names.SignInAttempts as string };
  const baseEnv = { ...SERVICE_ENV, USERS_TABLE_NAME: tableNames.users, TOKENS_TABLE_NAME: tableNames.tokens, SIGN_IN_ATTEMPTS_TABLE_NAME: tableNames.attempts };
  const previousEnv = Object.fromEntries(
    [...Object.keys(baseEnv), 'TOKEN_TTL_SECONDS'].map((key) => [key, process.env[key]]),
  );

  const loadHandlers = async (env: Readonly<Record<string, string>> = {}): Promise<AuthHandlers> => {
    Object.assign(process.env, baseEnv, env);
    let handlers: AuthHandlers | undefined;
    // A fresh module registry is a fresh cold start: config is parsed and clients are created at import.
    await jest.isolateModulesAsync(async () => {
      handlers = {
        createUser: (await import('../../src/handlers/create-user')).handler,
        createToken: (await import('../../src/handlers/create-token')).handler,
        revokeToken: (await import('../../src/handlers/revoke-token')).handler,
        authorize: (await import('../../src/handlers/authorize')).handler,
      };
    });
    delete process.env.TOKEN_TTL_SECONDS;
    return handlers as AuthHandlers;
  };

  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynalite.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  return {
    dynalite,
    tableNames,
    handlers: await loadHandlers(),
    stdout,
    loadHandlers,
    scan: async (table) => (await client.send(new ScanCommand({ TableName: tableNames[table], ConsistentRead: true }))).Items ?? [],
    stop: async () => {
      stdout.restore();
      client.destroy();
      await dynalite.stop();
      restoreAwsEnv();
      for (const [key, value] of Object.entries(previousEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
};

/**
 * create-user's and create-token's timeout (apps/auth/src/limits.ts): their invocations get its
 * remaining time, as in Lambda. With the 3 s default, concurrent scrypt calls in this one process
 * (each a vCPU of its own in Lambda) could use up the invocation's deadline before its last store call.
 */
const SCRYPT_FUNCTION_TIMEOUT_MS = 10_000;

/** Request helpers over a set of handlers, each answer parsed. */
export const authApi = (handlers: AuthHandlers) => ({
  createUser: async (body: unknown, headers?: Record<string, string>): Promise<Answer> =>
    toAnswer(await handlers.createUser(buildProxyEvent({ method: 'POST', resource: '/users', body, ...(headers ? { headers } : {}) }), buildLambdaContext({ timeoutMs: SCRYPT_FUNCTION_TIMEOUT_MS }))),

  createToken: async (body: unknown, headers?: Record<string, string>): Promise<Answer> =>
    toAnswer(await handlers.createToken(buildProxyEvent({ method: 'POST', resource: '/tokens', body, ...(headers ? { headers } : {}) }), buildLambdaContext({ timeoutMs: SCRYPT_FUNCTION_TIMEOUT_MS }))),

  /** DELETE /tokens/current as it arrives behind the authorizer: the header and the principal. */
  revoke: async (authorization: string | undefined, principal: AuthorizerPrincipal | null): Promise<Answer> =>
    toAnswer(
      await handlers.revokeToken(
        buildProxyEvent({
          method: 'DELETE',
          resource: '/tokens/current',
          ...(authorization === undefined ? {} : { headers: { Authorization: authorization } }),
          principal,
        }),
        buildLambdaContext(),
      ),
    ),

  /** The authorizer's verdict: its result, or the error it threw. */
  authorize: async (
    authorizationToken: string,
    route: { method?: string; path?: string } = {},
  ): Promise<{ result?: APIGatewayAuthorizerResult; error?: Error }> => {
    try {
      return { result: await handlers.authorize(buildTokenAuthorizerEvent({ authorizationToken, ...route }), buildLambdaContext()) };
    } catch (error) {
      return { error: error as Error };
    }
  },
});

export type AuthApi = ReturnType<typeof authApi>;

let counter = 0;
/** A username no other test of the file uses. */
export const uniqueUsername = (prefix = 'user'): string => `${prefix}_${process.pid % 1000}_${(counter += 1)}`;

export const PASSWORD = 'correct horse battery staple';
