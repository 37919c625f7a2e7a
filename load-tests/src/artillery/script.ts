import { stringify } from 'yaml';
import type { MethodLimits } from '../limits';

/**
 * One load-test scenario as Artillery runs it: the same method, rate and expectation as the loadtest
 * engine's scenario of the same name (`src/scenarios.ts`).
 */
export interface ArtilleryScenario {
  /** The loadtest scenario's name, e.g. `GET /loc/{userId} below the limit`. */
  name: string;
  method: 'GET' | 'PUT';
  resourcePath: string;
  /** The offered rate from the method's stage limit, as the loadtest scenario computes it. */
  rate(limits: MethodLimits): number;
  /** Below the limit no 429; above it some. No 5xx either way. */
  throttled: 'none' | 'some';
  /** Sends a location write with a unique accuracy (`PUT /loc`). */
  writes: boolean;
}

/** A user the virtual users act as: the path's `userId` and the bearer token. */
export interface ScriptUser {
  userId: string;
  authorization: string;
}

export interface ScriptInput {
  scenario: ArtilleryScenario;
  limits: MethodLimits;
  /** The base URL of the API serving the method, stage path included. */
  target: string;
  users: ScriptUser[];
  seconds: number;
  /**
   * Load generators the run is spread over (`artillery run-fargate --count N`). Each runs the whole
   * script, so the script's rate is the scenario's divided by it. @default 1
   */
  count?: number;
  /** The p99 latency the ensure conditions allow, ms: the API's p99 latency alarm threshold. */
  p99Ms: number;
  /**
   * The moment (epoch ms) send times are measured from, shared by every load generator.
   * @default Date.now() when the script is written
   */
  startsAt?: number;
}

/**
 * How far the requests may spread beyond the phase (a share of it, plus a second) before the run
 * counts as not having offered its load: a generator that falls behind its schedule (CPU-starved,
 * or waiting on connections) sends the same requests over a longer time, at a lower rate.
 */
export const SCHEDULE_SLACK = { share: 0.2, seconds: 1 } as const;

/** File name of the processor beside every script (copied from `load-tests/artillery/processor.cjs`). */
export const PROCESSOR_FILE = 'processor.cjs';

/** 5xx codes API Gateway and Lambda answer with, each named: Artillery counts none of them as errors. */
export const SERVER_ERROR_CODES = [500, 502, 503, 504] as const;

/**
 * An Artillery 2.0 script for one scenario: one arrival-rate phase (an open model: one virtual user,
 * one request, per arrival, on schedule whether or not earlier ones answered, as the loadtest engine
 * sends them), the processor's identity checks on every answer, and `ensure` conditions that turn the
 * design's promise into Artillery's exit code. Artillery counts neither 429 nor 5xx as errors, so each
 * condition names the status codes it is about.
 */
export function artilleryScript(input: ScriptInput): GeneratedScript {
  const { scenario, limits } = input;
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--count must be a positive integer, got ${count}`);
  const rate = scenario.rate(limits);
  const perGenerator = Math.max(1, Math.ceil(rate / count));
  const maxSendWindowMs = maxSendWindow(input.seconds);
  const conditions = [
    ...(scenario.throttled === 'none'
      ? [{ expression: 'not http.codes.429', why: 'below the limit, API Gateway never throttles' }]
      : [
          { expression: 'http.codes.429 > 0', why: 'above the limit, API Gateway throttles' },
          {
            expression: 'not sm.throttled.not_problem',
            why: 'every 429 is a problem+json body with status 429',
          },
        ]),
    ...SERVER_ERROR_CODES.map((code) => ({
      expression: `not http.codes.${code}`,
      why: `no ${code}: a throttled or failing function never reaches the client`,
    })),
    { expression: 'not sm.status.5xx', why: 'no other 5xx either' },
    {
      expression: 'not sm.identity.mismatched',
      why: "every answer is its own request's (the echoed userId, and a write's accuracy)",
    },
    { expression: 'sm.identity.matched > 0', why: 'some answers were checked' },
    {
      expression: 'not sm.profile.degraded',
      why: 'no profile lost its location (the lookup stayed within its budget)',
    },
    {
      expression: 'not vusers.failed',
      why: 'every virtual user finished: no timeouts, resets or refused connections',
    },
    {
      expression: `sm.sent_after_ms.max - sm.sent_after_ms.min < ${maxSendWindowMs}`,
      why: `the load generators kept their schedule: every request went out within ${maxSendWindowMs / 1000} s of the first (falling behind offers less than the scenario's rate)`,
    },
  ];
  const script = {
    config: {
      target: input.target,
      phases: [{ name: scenario.name, duration: input.seconds, arrivalRate: perGenerator }],
      http: { timeout: 30 },
      processor: `./${PROCESSOR_FILE}`,
      variables: { users: [input.users], startsAt: input.startsAt ?? Date.now() },
      plugins: { ensure: {} },
      ensure: {
        thresholds: [{ 'http.response_time.p99': input.p99Ms }],
        conditions: conditions.map(({ expression }) => ({ expression, strict: true })),
      },
    },
    scenarios: [
      {
        name: scenario.name,
        beforeScenario: 'pickUser',
        flow: [
          {
            [scenario.method.toLowerCase()]: {
              url: scenario.resourcePath.replace('{userId}', '{{ user.userId }}'),
              headers: { authorization: '{{ user.authorization }}' },
              beforeRequest: scenario.writes ? ['markSent', 'markWrite'] : ['markSent'],
              ...(scenario.writes
                ? { json: { latitude: 48.8584, longitude: 2.2945, accuracy: '{{ accuracy }}' } }
                : {}),
              afterResponse: 'checkAnswer',
            },
          },
        ],
      },
    ],
  };
  const notes = [
    `${scenario.name}: ${rate} requests/s in all, over ${count} load generator(s) at ${perGenerator}/s each, for ${input.seconds} s`,
    `(the method's stage limit: rate ${limits.rateLimit}/s, burst ${limits.burstLimit}; p99 allowed: ${input.p99Ms} ms, the API's p99 latency alarm)`,
    'ensure conditions (Artillery exits 1 when one fails):',
    ...conditions.map(({ expression, why }) => `  ${expression}  — ${why}`),
  ];
  return { script, notes };
}

export interface GeneratedScript {
  script: Record<string, unknown>;
  /** What the script offers and why each condition is there: the file's header comment. */
  notes: string[];
}

/** The script as YAML, its notes as a header comment. */
export function renderScript(generated: GeneratedScript): string {
  const header = [
    'Generated by load-tests (npm run load -- --engine artillery); see load-tests/README.md.',
    ...generated.notes,
  ];
  return `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(generated.script, { lineWidth: 0 })}`;
}

/** The longest a phase of `seconds` may take to send all its requests, ms (see {@link SCHEDULE_SLACK}). */
export function maxSendWindow(seconds: number): number {
  return Math.round((seconds * (1 + SCHEDULE_SLACK.share) + SCHEDULE_SLACK.seconds) * 1000);
}
