/**
 * Child process of the benchmark: one per service, so each service's bundles, environment and
 * JSON logs stay out of the parent (whose stdout is the report). It starts dynalite, creates the
 * service's tables from its `tables.ts`, loads the real bundles and times warm invocations; then,
 * per function, cold starts: a fresh Node process that imports the bundle and invokes it once.
 * Protocol: receives one {@link WorkerRequest} over IPC, answers one {@link WorkerReply}, exits.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildLambdaContext, createTables, startDynalite, useLocalAwsEnv } from '@sm/testing';
import { firstCallOnce, functionEnvironment, type FirstCallSample } from './first-call';
import { scenarios } from './scenarios';
import { loadTables, tableEnvName } from './tables';

export interface WorkerRequest {
  readonly root: string;
  readonly service: string;
  readonly bundles: Readonly<Record<string, string>>;
  /** Cold starts per function (fresh process: import, then the first invocation); 0 for none. */
  readonly firstCalls: number;
}

export interface FunctionSamples {
  /** Warm invocations, milliseconds. */
  readonly samples: number[];
  /** Cold starts in fresh processes. */
  readonly firstCalls?: readonly Pick<FirstCallSample, 'importMs' | 'firstCallMs'>[];
  readonly error?: string;
}

export type WorkerReply =
  | { readonly ok: true; readonly results: Record<string, FunctionSamples> }
  | { readonly ok: false; readonly error: string };

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const DEFAULT_ITERATIONS = 200;
const TIMEOUT_MS = 30_000;

/** A cold start's times, without the handler's result (which stays in this process). */
const timesOf = ({ importMs, firstCallMs }: FirstCallSample) => ({ importMs, firstCallMs });

const message = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const run = async ({ root, service, bundles, firstCalls }: WorkerRequest): Promise<Record<string, FunctionSamples>> => {
  const scenario = scenarios[service];
  if (scenario === undefined) return {};
  const dynalite = await startDynalite();
  useLocalAwsEnv(dynalite.endpoint);
  const extra = await scenario.setUp?.();
  try {
    const tableNames = await createTables(dynalite.endpoint, await loadTables(root, service), { tableName: (table) => `bench-${table.id}` });
    Object.assign(process.env, {
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_METRICS_NAMESPACE: `bench-${service}`,
      ...Object.fromEntries(Object.entries(tableNames).map(([id, name]) => [tableEnvName(id), name])),
      ...extra?.env,
    });

    const load = createRequire(join(root, 'package.json'));
    const handlers = new Map<string, Handler>();
    const handlerOf = (name: string): Handler => {
      let handler = handlers.get(name);
      if (handler === undefined) {
        const path = bundles[name];
        if (path === undefined) throw new Error(`no bundle for ${service}/${name}`);
        handler = (load(path) as { handler: Handler }).handler;
        handlers.set(name, handler);
      }
      return handler;
    };
    const contextOf = (name: string) => buildLambdaContext({ functionName: `bench-${service}-${name}`, timeoutMs: TIMEOUT_MS });
    const invoke = (name: string, event: unknown) => handlerOf(name)(event, contextOf(name));

    const results: Record<string, FunctionSamples> = {};
    for (const [name, functionScenario] of Object.entries(scenario.functions)) {
      if (bundles[name] === undefined) continue;
      const iterations = functionScenario.iterations ?? DEFAULT_ITERATIONS;
      const samples: number[] = [];
      const coldStarts: FirstCallSample[] = [];
      try {
        // Events after the warm ones serve the cold starts (a sign-up needs a fresh username).
        const eventOf = await functionScenario.prepare({ invoke }, iterations + firstCalls);
        for (let i = 0; i <= iterations; i += 1) {
          const event = eventOf(i);
          const start = performance.now();
          const result = await invoke(name, event);
          const elapsed = performance.now() - start;
          const problem = functionScenario.check(result);
          if (problem !== undefined) throw new Error(`invocation ${i}: ${problem}`);
          if (i > 0) samples.push(elapsed); // i = 0 is the warm-up
        }
        for (let i = iterations + 1; i <= iterations + firstCalls; i += 1) {
          const { getRemainingTimeInMillis: _remaining, done: _done, fail: _fail, succeed: _succeed, ...context } = contextOf(name);
          const sample = await firstCallOnce({
            bundlePath: bundles[name] as string,
            event: eventOf(i),
            context,
            timeoutMs: TIMEOUT_MS,
            env: functionEnvironment(process.env),
          });
          const problem = sample.error ?? functionScenario.check(sample.result);
          if (problem !== undefined) throw new Error(`first call in a fresh process: ${problem}`);
          coldStarts.push(sample);
        }
        results[name] = { samples, firstCalls: coldStarts.map(timesOf) };
      } catch (error) {
        results[name] = { samples, firstCalls: coldStarts.map(timesOf), error: message(error) };
      }
    }
    return results;
  } finally {
    await extra?.stop();
    await dynalite.stop();
  }
};

process.once('message', (request: WorkerRequest) => {
  run(request)
    .then((results): WorkerReply => ({ ok: true, results }))
    .catch((error: unknown): WorkerReply => ({ ok: false, error: message(error) }))
    // SDK keep-alive sockets and Powertools timers would keep the process up: leave explicitly.
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
