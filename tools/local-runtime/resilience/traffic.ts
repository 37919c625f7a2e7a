/**
 * What the resilience checks send and what they keep of each answer: users made through the real
 * API, an open-model sender (requests leave on schedule whatever the answers, as clients' do), and
 * the tally of statuses.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningRuntime } from '../src';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** performance.now() when the request left and when its answer was read. */
  readonly sentAt: number;
  readonly doneAt: number;
}

export const PASSWORD = 'correct horse battery staple';

/** One HTTP request, body read; a network failure or a 15 s silence is status 0. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const sentAt = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body,
      sentAt,
      doneAt: performance.now(),
    };
  } catch (error) {
    return {
      status: 0,
      headers: new Headers(),
      body: String((error as Error).message),
      sentAt,
      doneAt: performance.now(),
    };
  }
}

export function json(answer: Answer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(answer.body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface User {
  readonly userId: string;
  readonly username: string;
  readonly authorization: string;
}

/** Registers a user and signs them in (two scrypt hashes: sequential, so sign-up stays under its rate). */
export async function createUser(origin: string, name: string): Promise<User> {
  const username = `${name}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const headers = { 'content-type': 'application/json' };
  const created = await send(`${origin}/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password: PASSWORD, displayName: name }),
  });
  if (created.status !== 201) throw new Error(`POST /users: ${created.status} ${created.body}`);
  const token = await send(`${origin}/tokens`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (token.status !== 201) throw new Error(`POST /tokens: ${token.status} ${token.body}`);
  return {
    userId: String(json(created)['userId']),
    username,
    authorization: `Bearer ${String(json(token)['token'])}`,
  };
}

/**
 * Calls `request(i)` every `1000 / rate` ms for `seconds` (an open model: a slow answer does not
 * delay the next request), and resolves with every result once all have answered.
 */
export async function openModel<T>(
  rate: number,
  seconds: number,
  request: (i: number) => Promise<T>,
): Promise<T[]> {
  const count = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(request(i));
  }
  return Promise.all(pending);
}

/** Counts by status, e.g. `{ 200: 140, 503: 60 }`. */
export function tally(statuses: readonly number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Whether a 503 is the one every service answers: problem+json, `Retry-After`, about this request's path. */
export function isServiceUnavailable(answer: Answer, path: string): boolean {
  const body = json(answer);
  return (
    answer.status === 503 &&
    (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    /^\d+$/.test(answer.headers.get('retry-after') ?? '') &&
    body['status'] === 503 &&
    // The gateway's own 503 (the authorizer failed closed) carries no instance; a function's names
    // the request's path (with the stage in front, as API Gateway's requestContext.path has it).
    (body['instance'] === undefined ||
      (typeof body['instance'] === 'string' && body['instance'].endsWith(path)))
  );
}

/** Lambda throttles so far (CloudWatch's AWS/Lambda Throttles), by function name: diff two readings. */
export function lambdaThrottles(runtime: RunningRuntime): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const fn of runtime.system.functions) {
    const series = runtime.metrics?.find({
      namespace: 'AWS/Lambda',
      name: 'Throttles',
      dimensions: { FunctionName: fn.functionName },
    });
    counts[fn.functionName] = series?.aggregate(0, Date.now() + 60_000)?.sum ?? 0;
  }
  return counts;
}

/** The functions that throttled between two readings, e.g. `{ 'Prod-SmLocation-PutLocation…': 12 }`. */
export function throttledSince(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const throttled: Record<string, number> = {};
  for (const [name, count] of Object.entries(after))
    if (count > (before[name] ?? 0)) throttled[name] = count - (before[name] ?? 0);
  return throttled;
}
