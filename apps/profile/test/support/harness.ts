import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  buildLambdaContext,
  buildProxyEvent,
  captureOutput,
  createTables,
  startDynalite,
  useLocalAwsEnv,
  type CapturedOutput,
  type ProxyEventInput,
} from '@sm/testing';
import { tables } from '../../src/tables';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The two functions, loaded as the bundles are: each module reads its environment at import. */
export interface ProfileFunctions {
  readonly 'get-profile': Handler;
  readonly 'put-profile': Handler;
}
export type FunctionName = keyof ProfileFunctions;

/** A signed-in user: what the authorizer puts in the request context, and their bearer token. */
export interface Caller {
  readonly userId: string;
  readonly username: string;
  readonly token: string;
}

/** A response as a client sees it, plus what the invocation wrote to stdout/stderr. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | boolean>>;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted by each test
  /** EMF metric names published. */
  readonly metrics: readonly string[];
  /** JSON log lines (EMF blobs excluded). */
  readonly logs: readonly Record<string, unknown>[];
  /** Everything written, verbatim, for "never logs X" checks. */
  readonly output: string;
}

export interface Harness {
  readonly tableName: string;
  /** The functions loaded with the harness's environment. */
  readonly functions: ProfileFunctions;
  /** Loads another copy of the functions (a fresh cold start) with some variables overridden. */
  loadFunctions(env: Readonly<Record<string, string>>): Promise<ProfileFunctions>;
  invoke(fn: FunctionName, input: ProxyEventInput, functions?: ProfileFunctions): Promise<Reply>;
  /** Invokes concurrently inside one output capture; metrics and logs are the batch's. */
  invokeAll(
    fn: FunctionName,
    inputs: readonly ProxyEventInput[],
  ): Promise<{ replies: Reply[]; metrics: readonly string[] }>;
  /** Every item of the profiles table, straight from the store. */
  scan(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite, creates the tables from `src/tables.ts`, sets the environment the stack gives
 * the functions, then loads the real handler modules (their cold start reads it).
 */
export const startHarness = async (env: Readonly<Record<string, string>>): Promise<Harness> => {
  const dynalite = await startDynalite();
  const restoreAws = useLocalAwsEnv(dynalite.endpoint);
  const names = await createTables(dynalite.endpoint, tables);
  const tableName = names.Profiles as string;
  const previous = { ...process.env };
  Object.assign(process.env, {
    PROFILES_TABLE_NAME: tableName,
    POWERTOOLS_SERVICE_NAME: 'profile',
    POWERTOOLS_METRICS_NAMESPACE: 'SmProfile',
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...env,
  });

  const loadFunctions = async (
    overrides: Readonly<Record<string, string>>,
  ): Promise<ProfileFunctions> => {
    const saved = { ...process.env };
    Object.assign(process.env, overrides);
    try {
      let functions: ProfileFunctions | undefined;
      await jest.isolateModulesAsync(async () => {
        functions = {
          'get-profile': (await import('../../src/handlers/get-profile')).handler,
          'put-profile': (await import('../../src/handlers/put-profile')).handler,
        };
      });
      return functions as ProfileFunctions;
    } finally {
      for (const key of Object.keys(overrides)) {
        if (key in saved) process.env[key] = saved[key];
        else delete process.env[key];
      }
    }
  };
  const functions = await loadFunctions({});
  const store = DynamoDBDocumentClient.from(new DynamoDBClient({}));

  const call = (fn: FunctionName, input: ProxyEventInput, set: ProfileFunctions) =>
    set[fn](
      buildProxyEvent(input),
      buildLambdaContext({ functionName: `sm-profile-${fn}`, timeoutMs: 6000 }),
    );

  return {
    tableName,
    functions,
    loadFunctions,
    invoke: async (fn, input, set = functions) => {
      const output = captureOutput();
      let result: APIGatewayProxyResult;
      try {
        result = await call(fn, input, set);
      } finally {
        output.restore();
      }
      return toReply(result, output);
    },
    invokeAll: async (fn, inputs) => {
      const output = captureOutput();
      let results: APIGatewayProxyResult[];
      try {
        results = await Promise.all(inputs.map((input) => call(fn, input, functions)));
      } finally {
        output.restore();
      }
      return {
        replies: results.map((result) => toReply(result)),
        metrics: output.metricNames(),
      };
    },
    scan: async () => {
      const { Items = [] } = await store.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true }),
      );
      return Items;
    },
    stop: async () => {
      store.destroy();
      await dynalite.stop();
      restoreAws();
      for (const key of Object.keys(process.env)) if (!(key in previous)) delete process.env[key];
      Object.assign(process.env, previous);
    },
  };
};

/** A handler's result as tests read it, with what it logged when its output was captured alone. */
const toReply = (result: APIGatewayProxyResult, output?: CapturedOutput): Reply => {
  const headers = result.headers ?? {};
  const contentType = String(headers['content-type'] ?? '');
  return {
    status: result.statusCode,
    headers,
    body: contentType.includes('json') && result.body ? JSON.parse(result.body) : result.body,
    metrics: output?.metricNames() ?? [],
    logs: (output?.records() ?? []).filter((entry) => !('_aws' in entry)),
    output: output?.lines.join('\n') ?? '',
  };
};


/** A new user with a token shaped like auth's (32 random bytes, base64url). */
export const newCaller = (username = 'user'): Caller => ({
  userId: randomUUID(),
  username,
  token: randomBytes(32).toString('base64url'),
});

/** The event input of `GET /profile/{userId}` by `caller`, token in `Authorization`. */
export const getProfileRequest = (userId: string, caller: Caller | null): ProxyEventInput => ({
  method: 'GET',
  resource: '/profile/{userId}',
  pathParameters: { userId },
  principal: caller && { userId: caller.userId, username: caller.username },
  headers: caller ? { Authorization: `Bearer ${caller.token}` } : {},
});

/** The event input of `PUT /profile/{userId}` by `caller`. */
export const putProfileRequest = (
  userId: string,
  caller: Caller | null,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): ProxyEventInput => ({
  method: 'PUT',
  resource: '/profile/{userId}',
  pathParameters: { userId },
  principal: caller && { userId: caller.userId, username: caller.username },
  headers: { ...(caller ? { Authorization: `Bearer ${caller.token}` } : {}), ...headers },
  body,
});
