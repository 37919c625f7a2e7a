/**
 * A slow store at the stage rate: every DynamoDB call takes `latencyMs` more while `GET /loc` runs
 * at location's templated rate. The deadline (SM_DEADLINE_MS) must turn that into 503s without a
 * single Lambda throttle (which behind API Gateway is a 500) and without a 500; above the stage
 * rate the gateway answers 429. See the README, "Resilience check".
 */
import { parseFaultSpec, type RunningRuntime } from '../src';
import { isServiceUnavailable, json, openModel, send, tally, type User } from './traffic';

export interface SlowStoreOptions {
  readonly latencyMs: number;
  readonly seconds: number;
  /** Signed-in users to read the locations of (the outage phase's, or new ones). */
  readonly users: readonly User[];
  /** Requests per second as a share of the method's templated rate (1: the stage rate). */
  readonly rateShare: number;
}

export interface SlowStoreResult {
  readonly rate: number;
  readonly requests: number;
  readonly statuses: Record<number, number>;
  /** Lambda throttles of every function during the run (CloudWatch's AWS/Lambda Throttles). */
  readonly lambdaThrottles: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly wrongAnswers: string[];
  /** One answer of each status other than 200 and 503 (what it was). */
  readonly unexpected: Record<number, string>;
}

/** GET /loc/{userId}'s rate as the stage's templates set it. */
export function getLocationRate(runtime: RunningRuntime): number {
  const location = runtime.apis.find((api) => api.service === 'location');
  const api = runtime.system.apis.find((a) => a.apiId === location?.apiId);
  const limit = api?.throttling.perMethod.get('/loc/{userId} GET') ?? api?.throttling.stageDefault;
  if (!limit) throw new Error('no throttle for GET /loc/{userId} in the templates');
  return limit.rateLimit;
}

export async function runSlowStore(
  runtime: RunningRuntime,
  options: SlowStoreOptions,
  log: (line: string) => void,
): Promise<SlowStoreResult> {
  const { origin } = runtime;
  const { users } = options;
  for (const user of users) {
    const warm = await send(`${origin}/loc/${user.userId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: user.authorization },
      body: JSON.stringify({ latitude: 1, longitude: 1 }),
    });
    if (warm.status !== 200) throw new Error(`warm-up PUT /loc: ${warm.status} ${warm.body}`);
  }
  const rate = getLocationRate(runtime) * options.rateShare;
  const throttles = () =>
    runtime.system.functions.reduce(
      (sum, fn) =>
        sum +
        (runtime.metrics
          ?.find({
            namespace: 'AWS/Lambda',
            name: 'Throttles',
            dimensions: { FunctionName: fn.functionName },
          })
          ?.aggregate(0, Date.now() + 60_000)?.sum ?? 0),
      0,
    );
  runtime.faults!.set(parseFaultSpec(`latency=${options.latencyMs}ms`));
  // Environments first, as many as the rate keeps busy (rate × (deadline + overhead)): Lambda
  // starts them side by side, this machine two at a time, so a cold ramp would queue here for
  // seconds and count against the reservation — a throttle of the emulation, not of the design.
  // Three bursts of the stage's bucket, each held to the deadline; the bucket refills after each.
  const burst = Math.ceil(Math.min(rate, getLocationRate(runtime)));
  for (let round = 1; round <= 3; round++) {
    log(`slow store: warming get-location, burst ${round} of 3 (${burst} at once)`);
    await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        send(`${origin}/loc/${users[i % users.length]!.userId}`, {
          headers: { authorization: users[0]!.authorization },
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_200));
  }
  log(
    `slow store: GET /loc at ${rate}/s for ${options.seconds} s, every store call +${options.latencyMs} ms`,
  );
  const throttlesBefore = throttles();
  const answers = await openModel(rate, options.seconds, async (i) => {
    const owner = users[i % users.length]!;
    const caller = users[(i + 1) % users.length]!;
    const answer = await send(`${origin}/loc/${owner.userId}`, {
      headers: { authorization: caller.authorization },
    });
    return { owner, answer };
  });
  runtime.faults!.set(undefined);
  // The Lambda metrics of the last calls are recorded as they end; they all have.
  const lambdaThrottles = throttles() - throttlesBefore;

  const wrongAnswers: string[] = [];
  const unexpected: Record<number, string> = {};
  for (const { answer } of answers) {
    if (answer.status !== 200 && answer.status !== 503)
      unexpected[answer.status] ??= answer.body.slice(0, 300);
  }
  for (const { owner, answer } of answers) {
    if (answer.status === 200 && json(answer)['userId'] !== owner.userId)
      wrongAnswers.push(`GET /loc/${owner.userId} answered ${answer.body}`);
    if (answer.status === 503 && !isServiceUnavailable(answer, `/loc/${owner.userId}`))
      wrongAnswers.push(
        `GET /loc/${owner.userId}: a 503 that is not the service-unavailable problem: ${answer.body}`,
      );
  }
  const durations = answers.map((a) => a.answer.doneAt - a.answer.sentAt).sort((a, b) => a - b);
  return {
    rate,
    requests: answers.length,
    statuses: tally(answers.map((a) => a.answer.status)),
    lambdaThrottles,
    p99Ms: Math.round(
      durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.99) - 1)] ?? 0,
    ),
    maxMs: Math.round(durations.at(-1) ?? 0),
    wrongAnswers,
    unexpected,
  };
}
