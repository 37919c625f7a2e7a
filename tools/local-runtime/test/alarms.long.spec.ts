/**
 * The real system's alarms (every kind the templates define), evaluated by the local runtime as
 * CloudWatch would, with `alarmPeriodScale` 0.005 (a 5-minute period lasts 1.5 s): for each kind,
 * traffic that must trip it and traffic that must not. Store faults (a slow, failing or throttling
 * DynamoDB) cannot be caused with the real store, so a layer of the runtime's DynamoDB proxy
 * injects them — the only stand-in here, and only for those faults.
 */
import { synthSystem } from '../fixtures/system-assembly';
import { parseFaultSpec, startRuntime, type AlarmState, type RunningRuntime } from '../src';
import { call, sleep } from './helpers';

jest.setTimeout(240_000);

const SCALE = 0.005;
/** One 5-minute alarm period, scaled. */
const PERIOD_MS = 300_000 * SCALE;

let runtime: RunningRuntime;
let origin: string;
const lines: string[] = [];
let auth: { authorization: string };
let userId: string;

/** Makes the store slow or failing for calls on the Locations table (the runtime's fault layer); undefined: healthy. */
function storeFault(spec: string | undefined): void {
  runtime.faults!.set(spec === undefined ? undefined : parseFaultSpec(`${spec},tables=Locations`));
}

/** An alarm's name in the stage the runtime runs (`sm-<stage>-location-api5xx`, or `sm-location-…` without stages). */
function alarm(suffix: string): string {
  const names = runtime.system.monitoring.alarms.map((a) => a.alarmName).filter((name) => name.endsWith(`-${suffix}`));
  if (names.length !== 1) throw new Error(`expected one alarm named …-${suffix}, found ${names.join(', ') || 'none'}`);
  return names[0]!;
}

function state(alarmName: string): AlarmState {
  const status = runtime.alarms!.statuses().find((s) => s.alarm.alarmName === alarmName);
  if (!status) throw new Error(`no alarm ${alarmName}`);
  return status.state;
}

/**
 * Waits until the alarm is in `expected`, or went there since `since` (a slow phase may outlast the
 * scaled periods: an alarm can fire and recover before the phase ends), or fails with its reason.
 */
async function until(
  alarmName: string,
  expected: AlarmState,
  withinMs = 6 * PERIOD_MS,
  since = phaseStart,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  const status = () => runtime.alarms!.statuses().find((s) => s.alarm.alarmName === alarmName)!;
  while (Date.now() < deadline) {
    if (
      status().state === expected ||
      status().history.some((t) => t.newState === expected && t.timestamp >= since)
    )
      return;
    await sleep(100);
  }
  throw new Error(`${alarmName} is ${status().state}, expected ${expected}: ${status().reason}`);
}

/** Asserts the alarms stay as they are for `ms` while traffic runs. */
async function staysOk(alarmNames: string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const name of alarmNames)
      expect({ name, state: state(name) }).toEqual({ name, state: 'OK' });
    await sleep(200);
  }
}

/** `count` requests spread evenly over `ms`; resolves with their statuses. */
async function steady(
  count: number,
  ms: number,
  send: (i: number) => Promise<number>,
): Promise<number[]> {
  const pending: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    pending.push(send(i));
    await sleep(ms / count);
  }
  return Promise.all(pending);
}

const getLocation = () => call(origin, `/loc/${userId}`, { headers: auth }).then((r) => r.status);

beforeAll(async () => {
  runtime = await startRuntime({
    assemblyDir: synthSystem(),
    port: 0,
    inMemory: true,
    quiet: true,
    log: () => undefined,
    alarmPeriodScale: SCALE,
    monitorLog: (line) => lines.push(line),
  });
  origin = runtime.origin;
  const json = { 'content-type': 'application/json' };
  const user = {
    username: `alarms_${Date.now().toString(36)}`,
    password: 'correct horse battery staple',
    displayName: 'Alarms',
  };
  const created = await call(origin, '/users', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(user),
  });
  userId = String(created.json()['userId']);
  const token = await call(origin, '/tokens', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  auth = { authorization: `Bearer ${String(token.json()['token'])}` };
  expect(
    (
      await call(origin, `/loc/${userId}`, {
        method: 'PUT',
        headers: { ...auth, ...json },
        body: '{"latitude":1,"longitude":2}',
      })
    ).status,
  ).toBe(200);
  // A cold start takes ~1 s here: the functions the "ordinary traffic" test calls start warm, or
  // its first request alone would be a p99 of 1 s (as it would in AWS at such a low rate).
  expect(await getLocation()).toBe(200);
});

afterAll(() => runtime?.close());

/** When the running test began: transitions before it belong to earlier tests. */
let phaseStart = 0;
beforeEach(() => {
  storeFault(undefined);
  phaseStart = Date.now();
});

it('reads every alarm of the templates and evaluates all of them locally', () => {
  const statuses = runtime.alarms!.statuses();
  expect(statuses.length).toBe(runtime.system.monitoring.alarms.length);
  expect(statuses.length).toBeGreaterThanOrEqual(60);
  expect(statuses.filter((s) => s.unsupported)).toEqual([]);
});

it('stays OK under ordinary traffic with an occasional 4xx (1 in 60)', async () => {
  // Not the API's p99-latency alarm (250 ms): on a machine shared with other work a p99 above it is
  // real here, and what the alarm is for. The p99 kind's "must not" is the p99-duration alarm below
  // (4 s), which stays OK while the latency alarm fires.
  const names = [
    alarm('location-api5xx'),
    alarm('location-api4xx-rate'),
    alarm('location-get-location-errors'),
    alarm('location-get-location-error-logs'),
    alarm('location-get-location-duration-p99'),
    alarm('location-get-location-concurrency'),
    alarm('location-table-locations-system-errors'),
    alarm('location-table-locations-throttled'),
  ];
  for (const name of names) await until(name, 'OK', 6 * PERIOD_MS, Number.POSITIVE_INFINITY);
  const statuses = steady(60, 3 * PERIOD_MS, (i) =>
    i === 30 ? call(origin, `/loc/${userId}`).then((r) => r.status) : getLocation(),
  );
  await staysOk(names, 3 * PERIOD_MS);
  expect((await statuses).filter((s) => s === 200)).toHaveLength(59);
});

it('fires the 4XX-rate alarm (2 of 3 periods at ≥ 5 %) on a run of unauthenticated requests', async () => {
  const statuses = await steady(40, 2.5 * PERIOD_MS, () =>
    call(origin, `/loc/${userId}`).then((r) => r.status),
  );
  expect(new Set(statuses)).toEqual(new Set([401]));
  await until(alarm('location-api4xx-rate'), 'ALARM');
  expect(
    lines.some((line) =>
      line.includes(
        `${alarm('location-api4xx-rate')}: OK -> ALARM: Threshold Crossed: 2 out of the last 3 datapoints`,
      ),
    ),
  ).toBe(true);
});

it('fires the API 5XX, ERROR-log-line and table system-error alarms when the store fails, not the function-error alarm', async () => {
  storeFault('error=100%');
  const statuses = await steady(3, PERIOD_MS / 3, getLocation);
  // The SDK's retries end within the function's deadline, then the one error mapping answers 503.
  expect(statuses).toEqual([503, 503, 503]);
  await until(alarm('location-api5xx'), 'ALARM');
  await until(alarm('location-get-location-error-logs'), 'ALARM');
  await until(alarm('location-table-locations-system-errors'), 'ALARM');
  // The handler answered a problem (500): a handled failure is not a Lambda error.
  expect(state(alarm('location-get-location-errors'))).toBe('OK');
  const notification = runtime
    .alarms!.delivered()
    .find((n) => n.Subject === `ALARM: "${alarm('location-api5xx')}" in US East (N. Virginia)`);
  expect(JSON.parse(notification!.Message)).toMatchObject({
    AlarmName: alarm('location-api5xx'),
    NewStateValue: 'ALARM',
    OldStateValue: 'OK',
    Trigger: { MetricName: '5XXError', Namespace: 'AWS/ApiGateway' },
  });
  storeFault(undefined);
  // Back to OK once periods without 5XX pass (missing data is not breaching).
  await steady(10, PERIOD_MS, getLocation);
  await until(alarm('location-api5xx'), 'OK', 8 * PERIOD_MS, Number.POSITIVE_INFINITY);
});

it('fires the table throttle alarm on throttling of one operation', async () => {
  storeFault('throttle=100%');
  await steady(2, PERIOD_MS / 3, getLocation);
  await until(alarm('location-table-locations-throttled'), 'ALARM');
});

it('fires the API p99-latency alarm on a slow store (2 of 3 periods), not the p99-duration alarm', async () => {
  storeFault('latency=300ms');
  await steady(24, 2.5 * PERIOD_MS, getLocation);
  await until(alarm('location-api-latency-p99'), 'ALARM');
  expect(state(alarm('location-get-location-duration-p99'))).toBe('OK');
});

it('answers 503 within the deadline when the store is 6 s slow: no timeout, so neither the function-error nor the p99-duration alarm fires', async () => {
  // Before the deadline (SM_DEADLINE_MS, issue 14) this was a Lambda timeout; now the store call is
  // abandoned at 800 ms and the request answered: a 5XX for the API, not an error of the function.
  storeFault('latency=6s');
  const started = Date.now();
  const statuses = await steady(3, PERIOD_MS / 3, getLocation);
  expect(statuses).toEqual([503, 503, 503]);
  expect(Date.now() - started).toBeLessThan(6_000);
  await until(alarm('location-api5xx'), 'ALARM');
  await staysOk([alarm('location-get-location-errors'), alarm('location-get-location-duration-p99')], 2 * PERIOD_MS);
});

it('fires the function-error alarm when the handler throws (an event no API Gateway sends, invoked directly)', async () => {
  const fn = runtime.system.functions.find((f) => f.functionName.includes('GetLocation'))!;
  const result = await runtime.lambda.invoke(fn.id, null);
  expect(result.kind).toBe('error');
  await until(alarm('location-get-location-errors'), 'ALARM');
});

/** The event API Gateway sends get-location for `GET /loc/{userId}` (for direct invocations). */
function getLocationEvent() {
  return {
    resource: '/loc/{userId}',
    path: `/loc/${userId}`,
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { userId },
    stageVariables: null,
    requestContext: {
      authorizer: { principalId: userId, userId },
      resourcePath: '/loc/{userId}',
      httpMethod: 'GET',
      stage: 'prod',
      requestId: 'direct',
    },
    body: null,
    isBase64Encoded: false,
  };
}

const getLocationFunction = () => runtime.system.functions.find((f) => f.functionName.includes('GetLocation'))!;

it('fires the concurrency alarm (≥ 80 % of reserved) on 55 invocations at once, not on 40 at once', async () => {
  // Invoked directly, all at once: with the deadline (800 ms) a slow store holds an environment for
  // less than a cold burst of HTTP requests takes to arrive on a shared machine. Environments first
  // (cold starts run two at a time here, where Lambda runs them side by side).
  const fn = getLocationFunction();
  await Promise.all(Array.from({ length: 55 }, () => runtime.lambda.invoke(fn.id, getLocationEvent())));
  // The warm-up's own peak (55) is evaluated when its period closes: wait for that first, or the
  // alarm is still OK here and goes to ALARM (and back) during the next phase (seen in CI).
  await sleep(2 * PERIOD_MS);
  await until(alarm('location-get-location-concurrency'), 'OK', 10 * PERIOD_MS, Number.POSITIVE_INFINITY);
  phaseStart = Date.now();
  // Every store call 2 s: each invocation waits until its deadline, then answers 503.
  storeFault('latency=2s');
  const forty = await Promise.all(Array.from({ length: 40 }, () => runtime.lambda.invoke(fn.id, getLocationEvent())));
  expect(forty.map((r) => (r.kind === 'ok' ? (r.payload as { statusCode: number }).statusCode : r.kind))).toEqual(Array(40).fill(503));
  await sleep(Math.max(3 * 60_000 * SCALE, 1_500));
  const history = runtime
    .alarms!.statuses()
    .find((s) => s.alarm.alarmName === alarm('location-get-location-concurrency'))!.history;
  expect(history.filter((t) => t.timestamp >= phaseStart)).toEqual([]);
  phaseStart = Date.now();
  const burst = await Promise.all(Array.from({ length: 55 }, () => runtime.lambda.invoke(fn.id, getLocationEvent())));
  // Within the reservation (60): every call answered (503 at its deadline), none throttled.
  expect(burst.map((r) => (r.kind === 'ok' ? (r.payload as { statusCode: number }).statusCode : r.kind))).toEqual(Array(55).fill(503));
  // From the start of the 10 s (scaled) bucket the burst began in: it was sampled at once.
  const peak = runtime.metrics!.find({ namespace: 'AWS/Lambda', name: 'ConcurrentExecutions', dimensions: { FunctionName: fn.functionName } })!.aggregate(phaseStart - 10_000 * SCALE, Date.now() + 1000)!.max;
  expect(peak).toBeGreaterThanOrEqual(48);
  await until(alarm('location-get-location-concurrency'), 'ALARM', 10 * PERIOD_MS);
  expect(state(alarm('location-get-location-throttles'))).toBe('OK');
});

it('fires the throttle alarm when more than the reserved concurrency invoke the function directly', async () => {
  // Each call holds its environment until the 800 ms deadline.
  storeFault('latency=1500ms');
  const fn = runtime.system.functions.find((f) => f.functionName.includes('GetLocation'))!;
  const results = await Promise.all(
    Array.from({ length: fn.reservedConcurrency! + 10 }, () => runtime.lambda.invoke(fn.id, getLocationEvent())),
  );
  expect(results.filter((r) => r.kind === 'throttled').length).toBeGreaterThanOrEqual(10);
  await until(alarm('location-get-location-throttles'), 'ALARM');
});
