import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  buildLambdaContext,
  buildProxyEvent,
  captureOutput,
  createTables,
  startDynalite,
  useLocalAwsEnv,
  type AuthorizerPrincipal,
  type Dynalite,
  type ProxyEventInput,
} from '@sm/testing';
import { tables } from '../../src/tables';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A response as a client sees it, plus the EMF metric names the invocation published. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | boolean>>;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted by each test
  readonly metrics: readonly string[];
}

export interface Harness {
  readonly tableName: string;
  readonly endpoint: string;
  /** Invokes a handler module with a full API Gateway proxy event; stdout (logs, EMF) is captured. */
  invoke(fn: FunctionName, input: ProxyEventInput): Promise<Reply>;
  stop(): Promise<void>;
}

export type FunctionName = 'put-location' | 'get-location' | 'list-location-history';

/**
 * Starts dynalite, creates the service's tables from `src/tables.ts`, sets the environment the
 * stack gives the functions, then loads the real handler modules (their cold start reads it).
 */
export const startHarness = async (
  env: Readonly<Record<string, string>> = {},
): Promise<Harness> => {
  const dynalite: Dynalite = await startDynalite();
  const restoreAws = useLocalAwsEnv(dynalite.endpoint);
  const names = await createTables(dynalite.endpoint, tables);
  const tableName = names.Locations as string;
  const previous = { ...process.env };
  Object.assign(process.env, {
    LOCATIONS_TABLE_NAME: tableName,
    POWERTOOLS_SERVICE_NAME: 'location',
    POWERTOOLS_METRICS_NAMESPACE: 'SmLocation',
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...env,
  });
  const handlers: Record<FunctionName, Handler> = {
    'put-location': (await import('../../src/handlers/put-location')).handler,
    'get-location': (await import('../../src/handlers/get-location')).handler,
    'list-location-history': (await import('../../src/handlers/list-location-history')).handler,
  };

  return {
    tableName,
    endpoint: dynalite.endpoint,
    invoke: async (fn, input) => {
      const output = captureOutput();
      let result: APIGatewayProxyResult;
      try {
        result = await handlers[fn](
          buildProxyEvent(input),
          buildLambdaContext({ functionName: `sm-location-${fn}` }),
        );
      } finally {
        output.restore();
      }
      const contentType = String(
        result.headers?.['content-type'] ?? result.headers?.['Content-Type'] ?? '',
      );
      return {
        status: result.statusCode,
        headers: result.headers ?? {},
        body: contentType.includes('json') && result.body ? JSON.parse(result.body) : result.body,
        metrics: output.metricNames(),
      };
    },
    stop: async () => {
      await dynalite.stop();
      restoreAws();
      for (const key of Object.keys(process.env)) if (!(key in previous)) delete process.env[key];
      Object.assign(process.env, previous);
    },
  };
};

export const principal = (
  userId: string,
  username = `user-${userId.slice(0, 4)}`,
): AuthorizerPrincipal => ({ userId, username });
