/**
 * What versions and aliases cost locally, measured: the cold start (`Init Duration`) of a real
 * service bundle invoked unqualified (`$LATEST`) and through its `live` alias, and the CPU the
 * alias router adds to a warm call.
 *
 *   npx tsx tools/local-runtime/bench/aliases.ts [--cold 7] [--warm 3000] [--assembly cdk.out]
 *
 * Cold starts: a fresh function registration per start (so every first call is a cold start), the
 * two ways interleaved so that machine load hits both alike; median and spread printed. The bundle
 * is get-location from the assembly (`npm run synth` first): INIT loads it and its tracer, parses
 * the configuration, creates the DynamoDB client, and calls nothing.
 * Warm calls: the identity fixture at concurrency 1, invoked directly through the Lambda service
 * and through the alias router, in alternating rounds; CPU time of this process per call.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readAssembly } from '../src/assembly';
import {
  createAliasRouter,
  createLambdaService,
  type FunctionSpec,
  type LambdaService,
} from '../src/lambda';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const coldStarts = Number(arg('--cold', '7'));
const warmCalls = Number(arg('--warm', '3000'));
const assemblyDir = resolve(arg('--assembly', 'cdk.out'));

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const spread = (values: number[]) =>
  `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

async function coldStart(
  service: LambdaService,
  spec: FunctionSpec,
  qualifier: string | undefined,
): Promise<number> {
  service.register(spec);
  // A TOKEN-shaped event get-location's adapter answers without DynamoDB (an unknown route: 404/400);
  // only INIT is measured.
  const result = await service.invoke(
    spec.id,
    { httpMethod: 'GET', resource: '/nothing', path: '/nothing', headers: {}, requestContext: {} },
    qualifier ? { qualifier } : undefined,
  );
  if (result.kind !== 'ok' || !result.coldStart || result.initDurationMs === undefined) {
    throw new Error(
      `expected a cold start with its Init Duration, got ${JSON.stringify(result).slice(0, 300)}`,
    );
  }
  return result.initDurationMs;
}

async function main(): Promise<void> {
  const system = readAssembly(assemblyDir, {
    origin: 'http://127.0.0.1:9',
    stage: 'prod',
    extraEnvironment: {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9',
    },
  });
  const getLocation = system.functions.find((fn) => fn.handler === 'get-location.handler');
  if (!getLocation) throw new Error(`no get-location in ${assemblyDir}: npm run synth first`);
  const alias = system.lambdaVersions.aliases.find((a) => a.functionId === getLocation.id);
  if (!alias)
    throw new Error('get-location has no alias in the assembly: synthesize this branch first');

  const direct = createLambdaService({ idleTimeoutMs: 0 });
  const router = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }));
  const unqualified: number[] = [];
  const throughAlias: number[] = [];
  for (let i = 0; i < coldStarts; i++) {
    unqualified.push(
      await coldStart(
        direct,
        { ...getLocation, id: `${getLocation.id}#direct${i}`, reservedConcurrency: undefined },
        undefined,
      ),
    );
    const spec = {
      ...getLocation,
      id: `${getLocation.id}#alias${i}`,
      reservedConcurrency: undefined,
    };
    router.register(spec);
    router.setAlias(spec.id, alias.name, { version: alias.version });
    const result = await router.invoke(
      spec.id,
      {
        httpMethod: 'GET',
        resource: '/nothing',
        path: '/nothing',
        headers: {},
        requestContext: {},
      },
      { qualifier: alias.name },
    );
    if (result.kind !== 'ok' || result.initDurationMs === undefined)
      throw new Error(`no cold start through the alias: ${JSON.stringify(result).slice(0, 300)}`);
    throughAlias.push(result.initDurationMs);
  }
  await direct.close();
  await router.close();
  console.log(
    `cold start of get-location (${coldStarts} each, interleaved), Init Duration median (range):`,
  );
  console.log(
    `  unqualified ($LATEST):   ${median(unqualified).toFixed(0)} ms (${spread(unqualified)})`,
  );
  console.log(
    `  through the live alias:  ${median(throughAlias).toFixed(0)} ms (${spread(throughAlias)})`,
  );

  // Warm calls: the router's own cost per call.
  const fixtures = resolve(__dirname, '..', 'src', 'lambda', '__fixtures__');
  const identity: FunctionSpec = {
    id: 'Bench/Identity',
    functionName: 'Bench-Identity',
    codeDir: fixtures,
    handler: 'identity.handler',
    runtime: 'nodejs22.x',
    environment: {},
    timeoutSeconds: 5,
    memorySizeMB: 128,
    logGroupName: '/aws/lambda/Bench-Identity',
    version: '1',
  };
  const plain = createLambdaService({ idleTimeoutMs: 0 });
  plain.register(identity);
  const routed = createAliasRouter(createLambdaService({ idleTimeoutMs: 0 }));
  routed.register(identity);
  routed.setAlias(identity.id, 'live', { version: '1' });
  const round = async (service: LambdaService, qualifier: string | undefined, calls: number) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < calls; i++)
      await service.invoke(identity.id, { id: `w${i}` }, qualifier ? { qualifier } : undefined);
    const used = process.cpuUsage(cpu);
    return {
      cpuUs: (used.user + used.system) / calls,
      wallUs: ((performance.now() - started) * 1000) / calls,
    };
  };
  await round(plain, undefined, 200);
  await round(routed, 'live', 200);
  const plainRounds: { cpuUs: number; wallUs: number }[] = [];
  const routedRounds: { cpuUs: number; wallUs: number }[] = [];
  for (let r = 0; r < 5; r++) {
    plainRounds.push(await round(plain, undefined, warmCalls / 5));
    routedRounds.push(await round(routed, 'live', warmCalls / 5));
  }
  await plain.close();
  await routed.close();
  const m = (rounds: { cpuUs: number; wallUs: number }[], key: 'cpuUs' | 'wallUs') =>
    median(rounds.map((x) => x[key]));
  console.log(
    `warm calls of the identity fixture, concurrency 1 (${warmCalls} each, 5 alternating rounds), median per call:`,
  );
  console.log(
    `  Lambda service directly:  ${m(plainRounds, 'cpuUs').toFixed(1)} µs CPU of this process, ${m(plainRounds, 'wallUs').toFixed(1)} µs wall`,
  );
  console.log(
    `  through the alias router: ${m(routedRounds, 'cpuUs').toFixed(1)} µs CPU, ${m(routedRounds, 'wallUs').toFixed(1)} µs wall`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
