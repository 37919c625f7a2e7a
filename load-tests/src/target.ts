import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describeApis, readAssembly, serviceOfStack, type LocalSystem } from '@sm/local-runtime';
import {
  assemblyStage,
  resolveRemoteTarget,
  urlBelow,
  type AwsClients,
  type ServiceUrls,
  type TargetChoice,
} from '@sm/stage-target';

/** Where a scenario's requests go: each method to the base URL of the API that serves it. */
export interface ApiRoutes {
  /** The full URL of `path` (a concrete path, query allowed) of the API serving `method resourcePath`. */
  url(method: string, resourcePath: string, path: string): string;
  /** The base URL (stage path included) of the API serving `method resourcePath`. */
  baseUrl(method: string, resourcePath: string): string;
}

export interface Target extends ApiRoutes {
  /** The deployment stage whose templates give the limits. */
  stage: string;
  /** Service → base URL, stage path included. */
  apis: ServiceUrls;
  /** The system as that stage's cloud assembly describes it: where the limits come from. */
  system: LocalSystem;
  describe: string;
  /** The local runtime's origin (its `/_local/` metrics and alarms); undefined for a deployed stage. */
  localOrigin?: string;
  close(): Promise<void>;
}

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 60_000;

export interface OpenTargetOptions {
  choice: TargetChoice;
  /** The cloud assembly (`cdk.out`); the stage's own part of it gives the limits. */
  assemblyDir: string;
  verbose?: boolean;
  /** The local runtime's `--alarm-period-scale`. @default 1 */
  alarmPeriodScale?: number;
  /** AWS clients for a deployed stage. @default the SDK's, with the caller's credentials */
  awsClients?: AwsClients;
}

/**
 * The system under load, as three base URLs: the local runtime started from the stage's assembly (in
 * memory, in a process of its own, as `npm start` runs it, so the loader does not share its event
 * loop) and its per-API base URLs; or a deployed stage, its URLs read from its stacks' outputs; or URLs
 * given with `--api`. Either way the limits come from the same stage's synthesized templates.
 */
export async function openTarget(options: OpenTargetOptions): Promise<Target> {
  const { choice } = options;
  const assemblyDir = resolve(options.assemblyDir);
  const stage = assemblyStage(assemblyDir, choice.stage);
  // The origin only shapes local URLs, which a deployed target never uses.
  const templates = readAssembly(assemblyDir, { origin: 'http://127.0.0.1', stage });

  if (choice.kind !== 'local') {
    const remote = await resolveRemoteTarget(choice, templates, options.awsClients);
    return target(choice.stage, remote.apis, templates, remote.describe, async () => undefined);
  }

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'),
    [
      'tools/local-runtime/src/cli.ts',
      '--assembly',
      assemblyDir,
      ...(stage ? ['--stage', stage] : []),
      '--in-memory',
      '--port',
      String(port),
      ...(options.verbose ? [] : ['--quiet']),
      ...(options.alarmPeriodScale === undefined ? [] : ['--alarm-period-scale', String(options.alarmPeriodScale)]),
    ],
    { cwd: WORKSPACE_ROOT, stdio: options.verbose ? 'inherit' : ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitUntilReady(origin, child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  // The runtime derives its API ids from the assembly alone, so reading it here gives the same URLs.
  const system = readAssembly(assemblyDir, { origin, stage });
  const apis = new Map(describeApis(system, origin).map((api) => [api.service, api.baseUrl]));
  return {
    ...target(
      choice.stage,
      apis,
      system,
      `local runtime ${origin}, stage ${stage ?? '(no stages)'}, each API at its own base URL (its own process, from ${assemblyDir})`,
      () => stop(child),
    ),
    localOrigin: origin,
  };
}

function target(
  stage: string,
  apis: ServiceUrls,
  system: LocalSystem,
  describe: string,
  close: () => Promise<void>,
): Target {
  return { stage, apis, system, describe, close, ...apiRoutes(system, apis) };
}

/** Routes each method to its API's base URL, by which stack's API serves it in the assembly. */
export function apiRoutes(system: Pick<LocalSystem, 'apis'>, apis: ServiceUrls): ApiRoutes {
  const serviceOf = new Map<string, string>();
  for (const api of system.apis) {
    for (const method of api.methods)
      serviceOf.set(`${method.httpMethod} ${method.resourcePath}`, serviceOfStack(api.stackId));
  }
  const baseUrl = (method: string, resourcePath: string): string => {
    const service = serviceOf.get(`${method} ${resourcePath}`);
    if (!service) throw new Error(`No API in the assembly serves ${method} ${resourcePath}`);
    const base = apis.get(service);
    if (!base) throw new Error(`No base URL for service ${service} (${method} ${resourcePath})`);
    return base;
  };
  return {
    baseUrl,
    url: (method, resourcePath, path) => urlBelow(baseUrl(method, resourcePath), path),
  };
}

/** The runtime answers 503 while it starts and serves `/docs` once every API is up. */
async function waitUntilReady(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the local runtime exited with code ${child.exitCode} before it was ready`);
    const status = await fetch(`${origin}/docs`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the local runtime was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
