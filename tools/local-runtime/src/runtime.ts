import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localApiBaseUrl, readAssembly, serviceOfStack, type LocalSystem } from './assembly';
import { createDocsHandler, DOCS_PATH, type DocsSpec } from './docs/docs';
import { ensureTables, startLocalDynamo, type LocalDynamo } from './dynamodb';
import { Gateway } from './gateway/gateway';
import { createLambdaService, type LambdaService } from './lambda';
import { createLogSink } from './logs';
import type { LogSink } from './logs';
import { startSsmStandIn, type SsmStandIn } from './ssm';

export interface RuntimeOptions {
  /** The synthesized cloud assembly. */
  assemblyDir: string;
  /**
   * The deployment stage to run when the assembly has stages (CDK `Stage`s synthesize as nested
   * assemblies; one runs at a time). @default 'prod'
   */
  stage?: string;
  /** @default 3000; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Where `.local/` lives. @default process.cwd() */
  stateDir?: string;
  /** Keep nothing on disk: data in memory, logs on the console only. @default false */
  inMemory?: boolean;
  /** No console output from functions (files are still written). @default false */
  quiet?: boolean;
  /** API references for `GET /docs`. @default none */
  docs?: DocsSpec[];
  /** @default 1000 */
  accountConcurrency?: number;
  /**
   * Keep V8's code cache of the bundles between cold starts (`module.enableCompileCache`), under
   * `.local/compile-cache` (in the OS temp directory with `inMemory`). Later cold starts skip
   * compiling; Lambda has no such cache, so `Init Duration` then understates AWS's. @default false
   */
  compileCache?: boolean;
  /** Gateway diagnostics (5xx explanations). @default console.error unless quiet */
  log?: (line: string) => void;
}

export interface RouteInfo {
  method: string;
  path: string;
  url: string;
  api: string;
  secured: boolean;
}

/** One REST API of the assembly and the base URL it is served at, shaped like its deployed one. */
export interface ApiInfo {
  /** The stack's construct id without `Sm`, lower-cased: `auth`, `location`, `profile`. */
  service: string;
  /** The local stand-in for API Gateway's generated id (10 characters, stable across restarts). */
  apiId: string;
  /** The API Gateway stage, as the template names it. */
  stage: string;
  /** `${origin}/_aws/execute-api/<apiId>/<stage>`, no trailing slash: use it as a deployed stage's URL. */
  baseUrl: string;
  /** The CloudFormation stack name (`SmAuth`, `Staging-SmAuth`). */
  stackName: string;
}

/** Every REST API of a system read from the assembly, with its per-API base URL on `origin`. */
export function describeApis(system: Pick<LocalSystem, 'apis'>, origin: string): ApiInfo[] {
  return system.apis
    .map((api) => ({
      service: serviceOfStack(api.stackId),
      apiId: api.apiId,
      stage: api.stageName,
      baseUrl: localApiBaseUrl(origin, api.apiId, api.stageName),
      stackName: api.stackName,
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

export interface RunningRuntime {
  /** `http://127.0.0.1:3000`: every API's routes at once, no stage in the path. */
  origin: string;
  /** Each API at its own deployed-shaped base URL (`${origin}/_aws/execute-api/<apiId>/<stage>`). */
  apis: ApiInfo[];
  port: number;
  docsUrl: string;
  routes: RouteInfo[];
  system: LocalSystem;
  /** `undefined` with `inMemory`. */
  dataDir: string | undefined;
  logsDir: string | undefined;
  lambda: LambdaService;
  /** The SSM stand-in serving the assembly's parameters (functions get it as `AWS_ENDPOINT_URL_SSM`). */
  ssm: SsmStandIn;
  /** Stops accepting, drains requests in flight, closes workers, flushes logs and the store. */
  close(): Promise<void>;
}

/**
 * Starts the system a cloud assembly describes: DynamoDB (dynalite) with its tables, SSM
 * parameters (a read-only stand-in), every Lambda function, and every REST API behind one HTTP
 * origin, each also at its own deployed-shaped base URL.
 */
export async function startRuntime(options: RuntimeOptions): Promise<RunningRuntime> {
  const host = options.host ?? '127.0.0.1';
  const stateDir = resolve(options.stateDir ?? process.cwd(), '.local');
  const inMemory = options.inMemory ?? false;
  const dataDir = inMemory ? undefined : join(stateDir, 'data');
  const logsDir = inMemory ? undefined : join(stateDir, 'logs');
  const log =
    options.log ?? (options.quiet ? () => undefined : (line: string) => console.error(line));

  // Listen first: the port is part of every URL the assembly resolves to (e.g. a published API URL).
  let handler: Parameters<typeof createServer>[1] = (_req, res) => {
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      .end('{"message":"Starting"}');
  };
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => handler!(req, res));
  await listen(server, options.port ?? 3000, host);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host}:${port}`;

  let dynamo: LocalDynamo | undefined;
  let logSink: LogSink | undefined;
  let lambda: LambdaService | undefined;
  let ssm: SsmStandIn | undefined;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    // Functions get dynalite's and the SSM stand-in's endpoints in their environment, so the
    // assembly is read after both listen.
    [dynamo, ssm] = await Promise.all([
      startLocalDynamo({ dataDir, inMemory }),
      startSsmStandIn({ host }),
    ]);
    const system = readAssembly(options.assemblyDir, {
      origin,
      stage: options.stage,
      extraEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      },
    });
    ssm.setParameters(system.parameters);
    logSink = createLogSink({ logsDir, quiet: options.quiet });
    lambda = createLambdaService({
      accountConcurrency: options.accountConcurrency,
      logSink,
      compileCacheDir: options.compileCache
        ? inMemory
          ? join(tmpdir(), 'local-runtime-compile-cache')
          : join(stateDir, 'compile-cache')
        : undefined,
    });
    for (const fn of system.functions) lambda.register(fn);
    const gateway = new Gateway({ apis: system.apis, lambda, reservedPaths: [DOCS_PATH], log });
    await ensureTables(dynamo.endpoint, system.tables);
    const docs = createDocsHandler(options.docs ?? [], origin);
    handler = (req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith(DOCS_PATH) && docs(req, res, url.split('?')[0]!)) return;
      gateway.handle(req, res);
    };
    const routes = gateway.router.routes().map((route) => ({
      method: route.method,
      path: route.path,
      url: `${origin}${route.path}`,
      api: route.api.id,
      secured: route.secured,
    }));

    const [started, sink, store, parameters] = [lambda, logSink, dynamo, ssm];
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await closeServer(server);
        await started.close();
        await sink.close();
        await store.close();
        await parameters.close();
      })());
    return {
      origin,
      apis: describeApis(system, origin),
      port,
      docsUrl: `${origin}${DOCS_PATH}`,
      routes,
      system,
      dataDir,
      logsDir,
      lambda,
      ssm: parameters,
      close,
    };
  } catch (error) {
    server.close();
    server.closeAllConnections();
    await lambda?.close().catch(() => undefined);
    await logSink?.close().catch(() => undefined);
    await dynamo?.close().catch(() => undefined);
    await ssm?.close().catch(() => undefined);
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, rejectListen) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      rejectListen(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is in use: stop what holds it or pass --port N`, {
              cause: error,
            })
          : error,
      ),
    );
    server.listen(port, host, () => resolveListen());
  });
}

/** Stops accepting connections, lets requests in flight finish (bounded), then closes idle sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    const force = setTimeout(() => server.closeAllConnections(), 5_000).unref();
    server.close(() => {
      clearTimeout(force);
      resolveClose();
    });
    server.closeIdleConnections();
  });
}
