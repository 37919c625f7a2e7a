import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localApiBaseUrl, readAssembly, serviceOfStack, type LocalSystem } from './assembly';
import { AlarmService } from './alarms';
import { createConsoleHandler, LOCAL_CONSOLE_PATH } from './dashboards';
import { createDocsHandler, DOCS_PATH, type DocsSpec } from './docs/docs';
import { ensureTables, startLocalDynamo, type LocalDynamo } from './dynamodb';
import { startDynamoProxy, type DynamoProxy } from './dynamodb/proxy';
import { createFaultInjector, type FaultInjector } from './dynamodb/fault-injector';
import type { FaultSpec } from './dynamodb/fault-spec';
import { Gateway } from './gateway/gateway';
import { CanaryReplay, planCanary, runLifecycleHook, startDeployApis, type CanaryOptions, type CanarySetup, type DeployApis } from './deployments';
import { createAliasRouter, createLambdaService, defaultLabel, type AliasRouter, type FunctionSpec, type LambdaService } from './lambda';
import { createLogSink } from './logs';
import type { LogSink } from './logs';
import { dynamoMetricsLayer, gatewayMetrics, MetricStore, observeLambda, observeLogs } from './metrics';
import { applyVersions, reloadSystem, type ReloadSummary } from './reload';
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
  /**
   * Publish CloudWatch's metrics (API Gateway, Lambda, DynamoDB, EMF, metric filters), evaluate the
   * assembly's alarms and serve its dashboards under `/_local/`. @default true
   */
  metrics?: boolean;
  /**
   * Multiplies every alarm period, the evaluation interval and the metrics' 10 s resolution
   * (`--alarm-period-scale`): 0.01 makes a 5-minute alarm period 3 s, for tests and short runs.
   * @default 1
   */
  alarmPeriodScale?: number;
  /**
   * Functions reach DynamoDB through the runtime's DynamoDB proxy (metrics layer, test faults).
   * `false` points them at dynalite directly — no DynamoDB metrics, no proxy layers — to measure
   * what the proxy costs. @default true
   */
  dynamoProxy?: boolean;
  /**
   * Apply the rate-based rules of each stage's AWS WAF web ACL per source IP (src/waf/). `false`
   * for a tool that sends all its traffic from one address on purpose (the contract fuzzer), which
   * the per-IP rules exist to stop. @default true
   */
  webAcl?: boolean;
  /**
   * Store faults to inject from the start (`--faults`, `parseFaultSpec`): latency, throttling,
   * errors, resets, an outage window, through the DynamoDB proxy's fault layer. Change them while
   * running with `RunningRuntime.faults.set`. Needs the proxy. @default none
   */
  faults?: FaultSpec;
  /** Alarm transitions and monitoring warnings. @default console.error (transitions even when quiet) */
  monitorLog?: (line: string) => void;
  /**
   * Replay a deployment of one function (`--canary <fn>[=<percent>]`): the previous build serves as
   * version 1, this assembly's as version 2, and the function's `live` alias shifts from one to the
   * other as its CodeDeploy deployment group says (or by the given share), watched by that group's
   * alarms, which roll it back. Needs `metrics` (the alarms). @default none
   */
  canary?: CanaryOptions;
}

export interface RouteInfo {
  method: string;
  path: string;
  url: string;
  api: string;
  secured: boolean;
  /**
   * The status a mock integration answers with, for a route API Gateway answers itself (e.g.
   * `ContractRestApi`'s `ANY` methods: 405 for every method a path does not declare).
   */
  mockStatus?: number;
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
  readonly apis: ApiInfo[];
  port: number;
  docsUrl: string;
  /** The routes served now (they change with `reload`). */
  readonly routes: RouteInfo[];
  /** The system running now, as read from the assembly (it changes with `reload`/`updateFunctionCode`). */
  readonly system: LocalSystem;
  /** `undefined` with `inMemory`. */
  dataDir: string | undefined;
  logsDir: string | undefined;
  lambda: LambdaService;
  /** The local CloudWatch metrics; `undefined` with `metrics: false`. */
  metrics: MetricStore | undefined;
  /** The assembly's alarms as CloudWatch would evaluate them; `undefined` with `metrics: false`. */
  alarms: AlarmService | undefined;
  /** What functions call as DynamoDB: the proxy in front of dynalite (add layers with `use`); undefined with `dynamoProxy: false`. */
  dynamoProxy: DynamoProxy | undefined;
  /**
   * The proxy's fault layer (inside the metrics layer, so metrics see what functions see): injects
   * nothing until given a spec (`options.faults` or `set`). Undefined with `dynamoProxy: false`.
   */
  faults: FaultInjector | undefined;
  /** The SSM stand-in serving the assembly's parameters (functions get it as `AWS_ENDPOINT_URL_SSM`). */
  ssm: SsmStandIn;
  /**
   * Swaps in a newly synthesized assembly without stopping (see reload.ts): functions updated,
   * added or removed, new tables created, APIs replaced for the next requests, SSM parameters
   * replaced; the store keeps its data and requests in flight finish as they started. Refused (the
   * old system keeps serving) when the new assembly cannot run: then it throws and nothing changed.
   * One reload at a time. Alarms, dashboards and metric filters stay those read at start.
   */
  reload(assemblyDir: string): Promise<ReloadSummary>;
  /**
   * Runs a function from a new code directory (a rebuilt bundle), its configuration unchanged:
   * calls in flight finish on the old code, the next call cold-starts the new one. False when the
   * function already runs that directory.
   */
  updateFunctionCode(functionId: string, codeDir: string): boolean;
  /** Versions and aliases: which version of a function runs for a call (`invokeQualified`, `setAlias`). */
  aliases: AliasRouter;
  /** The deployment replay of `options.canary`, started when the runtime is ready. */
  canary: CanaryReplay | undefined;
  /** Stops accepting, drains requests in flight, closes workers, flushes logs and the store. */
  close(): Promise<void>;
}

/**
 * Starts the system a cloud assembly describes: DynamoDB (dynalite, behind the DynamoDB proxy) with
 * its tables, SSM parameters (a read-only stand-in), every Lambda function, and every REST API
 * behind one HTTP origin, each also at its own deployed-shaped base URL; CloudWatch's metrics,
 * alarms and dashboards over all of it.
 */
export async function startRuntime(options: RuntimeOptions): Promise<RunningRuntime> {
  const host = options.host ?? '127.0.0.1';
  const stateDir = resolve(options.stateDir ?? process.cwd(), '.local');
  const inMemory = options.inMemory ?? false;
  const dataDir = inMemory ? undefined : join(stateDir, 'data');
  const logsDir = inMemory ? undefined : join(stateDir, 'logs');
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => console.error(line));
  const monitorLog = options.monitorLog ?? ((line: string) => console.error(`local-runtime: ${line}`));
  const withMetrics = options.metrics ?? true;
  const scale = options.alarmPeriodScale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`alarmPeriodScale must be in (0, 1], got ${scale}`);

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
  let proxy: DynamoProxy | undefined;
  let faults: FaultInjector | undefined;
  let logSink: LogSink | undefined;
  let lambda: LambdaService | undefined;
  let store: MetricStore | undefined;
  let alarms: AlarmService | undefined;
  let ssm: SsmStandIn | undefined;
  let deployApis: DeployApis | undefined;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    // Functions get the DynamoDB proxy's and the SSM stand-in's endpoints in their environment, so
    // the assembly is read after both listen.
    [dynamo, ssm, deployApis] = await Promise.all([
      startLocalDynamo({ dataDir, inMemory }),
      startSsmStandIn({ host }),
      // Lambda's Invoke and CodeDeploy's hook status, for the deployment hooks a canary replay runs.
      startDeployApis(host),
    ]);
    proxy = options.dynamoProxy === false ? undefined : await startDynamoProxy({ target: dynamo.endpoint, inProcess: dynamo.handle, host });
    const [storeEndpoint, parameterStore, hookApis] = [dynamo.endpoint, ssm, deployApis];
    const readOptions = {
      origin,
      stage: options.stage,
      extraEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: proxy?.endpoint ?? dynamo.endpoint,
        AWS_ENDPOINT_URL_SSM: ssm.endpoint,
        AWS_ENDPOINT_URL_LAMBDA: deployApis.endpoint,
        AWS_ENDPOINT_URL_CODEDEPLOY: deployApis.endpoint,
      },
    };
    // With a canary, this assembly's versions follow the previous build's: it publishes version 2
    // (and so does every assembly a reload swaps in).
    const versionBase = options.canary ? 1 : 0;
    const readSystem = (assemblyDir: string) => readAssembly(assemblyDir, { ...readOptions, versionBase });
    if (options.canary && !withMetrics) throw new Error('--canary watches the alarms: it needs the metrics (leave --no-metrics out)');
    const previous = options.canary ? readAssembly(options.canary.previousAssemblyDir, readOptions) : undefined;
    const read = readSystem(options.assemblyDir);
    const setup: CanarySetup | undefined = options.canary && previous ? planCanary(read, previous, options.canary, read.monitoring.alarms) : undefined;
    // The canaried function's label names its version (the console tells v1's lines from v2's), after a reload too.
    const labelled = (next: LocalSystem): LocalSystem =>
      setup
        ? { ...next, functions: next.functions.map((fn) => (fn.id === setup.plan.functionId ? { ...fn, label: `${fn.label ?? defaultLabel(fn)} v${fn.version}` } : fn)) }
        : next;
    let system = labelled(read);
    ssm.setParameters(system.parameters);
    if (withMetrics) {
      store = new MetricStore({ resolutionMs: 10_000 * scale, persistDir: inMemory ? undefined : join(stateDir, 'metrics') });
      for (const warning of system.monitoring.unsupported) monitorLog(`warning: ${warning}`);
      alarms = new AlarmService({
        store,
        alarms: system.monitoring.alarms,
        topics: system.monitoring.topics,
        timeScale: scale,
        stateDir: inMemory ? undefined : stateDir,
        log: monitorLog,
        warn: (line) => monitorLog(`warning: ${line}`),
      });
      proxy?.use(dynamoMetricsLayer(store, system.tables));
    }
    // Inside the metrics layer: CloudWatch's DynamoDB metrics count the injected faults.
    if (options.faults && !proxy) throw new Error('store faults need the DynamoDB proxy (drop dynamoProxy: false / --no-dynamodb-proxy)');
    faults = proxy ? createFaultInjector(options.faults) : undefined;
    if (faults) proxy?.use(faults);
    const sink = createLogSink({ logsDir, quiet: options.quiet });
    logSink = store ? observeLogs(sink, store, system.monitoring.metricFilters, (line) => monitorLog(`warning: ${line}`)) : sink;
    const service = createLambdaService({
      accountConcurrency: options.accountConcurrency,
      logSink,
      compileCacheDir: options.compileCache
        ? inMemory
          ? join(tmpdir(), 'local-runtime-compile-cache')
          : join(stateDir, 'compile-cache')
        : undefined,
    });
    const router = createAliasRouter(service);
    deployApis.attach(router, new Map(system.functions.map((fn) => [fn.functionName, fn.id])));
    lambda = store ? observeLambda(router, store) : router;
    for (const fn of system.functions) lambda.register(fn);
    // Versions and aliases as the templates publish them; integrations and authorizers call the aliases.
    // The alias a canary replay moves stays where the replay has it, through reloads too.
    const replayed = setup ? { functionId: setup.plan.functionId, alias: setup.plan.alias } : undefined;
    applyVersions(router, system, replayed);
    let canary: CanaryReplay | undefined;
    if (setup && alarms) {
      // Before the shift the previous build serves every call through the alias, as deployed.
      router.publishVersion(setup.plan.functionId, setup.plan.oldVersion, setup.previous);
      router.setAlias(setup.plan.functionId, setup.plan.alias, { version: setup.plan.oldVersion });
      const apis = deployApis;
      const deploymentId = `d-LOCAL${Date.now().toString(36).toUpperCase()}`;
      canary = new CanaryReplay(setup.plan, {
        router,
        alarms,
        timeScale: scale,
        log: monitorLog,
        runHook: (hookFunctionId) => runLifecycleHook(router, apis, hookFunctionId, deploymentId),
      });
    }
    const [functions, metricStore] = [lambda, store];
    const makeGateway = (apis: LocalSystem['apis']) =>
      new Gateway({
        apis,
        lambda: functions,
        reservedPaths: [DOCS_PATH, LOCAL_CONSOLE_PATH],
        log,
        observer: metricStore ? gatewayMetrics(metricStore, apis) : undefined,
        webAcl: options.webAcl ?? true,
      });
    // Replaced by a reload; a request keeps the gateway it started with.
    let gateway = makeGateway(system.apis);
    await ensureTables(dynamo.endpoint, system.tables);
    const docs = createDocsHandler(options.docs ?? [], origin);
    const localConsole = store && alarms ? createConsoleHandler({ store, alarms, dashboards: system.monitoring.dashboards, startedAt: store.now() }) : undefined;
    handler = (req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith(DOCS_PATH) && docs(req, res, url.split('?')[0]!)) return;
      if (localConsole && url.startsWith(LOCAL_CONSOLE_PATH) && localConsole(req, res)) return;
      gateway.handle(req, res);
    };
    alarms?.evaluate();
    canary?.start();
    const routes = () =>
      gateway.router.routes().map((route) => ({
        method: route.method,
        path: route.path,
        url: `${origin}${route.path}`,
        api: route.api.id,
        secured: route.secured,
        ...(route.mockStatus === undefined ? {} : { mockStatus: route.mockStatus }),
      }));
    let reloading: Promise<unknown> = Promise.resolve();
    const reload = (assemblyDir: string): Promise<ReloadSummary> => {
      const run = reloading.then(async () => {
        const result = await reloadSystem(
          {
            lambda: functions,
            dynamoEndpoint: storeEndpoint,
            makeGateway,
            accountConcurrency: options.accountConcurrency ?? 1000,
            // In the same turn as the functions' updates: no call routes through a stale alias.
            applyVersions: (next) => applyVersions(router, next, replayed),
          },
          system,
          labelled(readSystem(assemblyDir)),
          log,
        );
        system = result.system;
        parameterStore.setParameters(system.parameters);
        hookApis.attach(router, new Map(system.functions.map((fn) => [fn.functionName, fn.id])));
        if (result.gateway) gateway = result.gateway;
        return result.summary;
      });
      reloading = run.catch(() => undefined);
      return run;
    };
    const updateFunctionCode = (functionId: string, codeDir: string): boolean => {
      const index = system.functions.findIndex((fn) => fn.id === functionId);
      if (index === -1) throw new Error(`No function ${functionId} in the running system`);
      const spec = { ...(system.functions[index] as FunctionSpec), codeDir };
      if (!functions.update(spec)) return false;
      const updated = [...system.functions];
      updated[index] = spec;
      system = { ...system, functions: updated };
      return true;
    };

    const [started, openSink, db, dbProxy, metrics, evaluator, parameters] = [lambda, logSink, dynamo, proxy, store, alarms, ssm];
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        canary?.stop();
        await closeServer(server);
        await started.close();
        await openSink.close();
        evaluator?.close();
        metrics?.close();
        await dbProxy?.close();
        await db.close();
        await parameters.close();
        await hookApis.close();
      })());
    return {
      origin,
      get apis() {
        return describeApis(system, origin);
      },
      port,
      docsUrl: `${origin}${DOCS_PATH}`,
      get routes() {
        return routes();
      },
      get system() {
        return system;
      },
      dataDir,
      logsDir,
      lambda,
      metrics,
      alarms,
      dynamoProxy: dbProxy,
      faults,
      ssm: parameters,
      reload,
      updateFunctionCode,
      aliases: router,
      canary,
      close,
    };
  } catch (error) {
    server.close();
    server.closeAllConnections();
    await lambda?.close().catch(() => undefined);
    await logSink?.close().catch(() => undefined);
    alarms?.close();
    store?.close();
    await proxy?.close().catch(() => undefined);
    await dynamo?.close().catch(() => undefined);
    await ssm?.close().catch(() => undefined);
    await deployApis?.close().catch(() => undefined);
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
