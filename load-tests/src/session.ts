import { randomBytes } from 'node:crypto';
import type { ApiRoutes } from './target';

/** A signed-in user the scenarios act as. */
export interface Session {
  userId: string;
  token: string;
  authorization: string;
}

/**
 * Registers a fresh user and signs in, as a client would: through the auth API's base URL, so the
 * scenarios exercise the same path against the local runtime or a deployed stage. Registration is
 * the system's most expensive call (scrypt, ~0.7 s of a core) and the run's set-up, not its subject:
 * a cold create-user that runs out of time on a loaded machine (502, 504) is retried, and a retry
 * that meets 409 finds the first attempt's user in place (the user id comes from the sign-in).
 */
export async function signUpAndSignIn(api: ApiRoutes): Promise<Session> {
  const username = `load_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  await requestJson(api.url('POST', '/users', '/users'), 'POST', {
    body: { username, password, displayName: 'Load Test' },
    expect: 201,
    retryServerErrors: true,
    acceptOnRetry: 409,
  });
  const token = await requestJson(api.url('POST', '/tokens', '/tokens'), 'POST', {
    body: { username, password },
    expect: 201,
    retryServerErrors: true,
  });
  const value = String(token['token']);
  return { userId: String(token['userId']), token: value, authorization: `Bearer ${value}` };
}

/** Server errors a set-up request may meet on a loaded machine: a function out of time, briefly. */
const TRANSIENT = new Set([502, 503, 504]);
const SERVER_ERROR_RETRIES = 3;

/**
 * Sends one JSON request of the run's set-up, retrying on 429 (the stage may still be refilling its
 * bucket) and, with `retryServerErrors`, up to three times on 502/503/504, saying so on stderr.
 * `acceptOnRetry` is a status that counts as success on a retry only (409 for a registration whose
 * first attempt was stored after all).
 */
export async function requestJson(
  url: string,
  method: string,
  options: {
    body?: unknown;
    authorization?: string;
    expect: number;
    retryServerErrors?: boolean;
    acceptOnRetry?: number;
  },
): Promise<Record<string, unknown>> {
  const path = new URL(url).pathname;
  let serverErrors = 0;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const response = await fetch(url, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
      continue;
    }
    if (
      options.retryServerErrors &&
      TRANSIENT.has(response.status) &&
      serverErrors < SERVER_ERROR_RETRIES
    ) {
      serverErrors += 1;
      console.error(
        `load-tests: set-up ${method} ${path} answered ${response.status}; retrying (${serverErrors}/${SERVER_ERROR_RETRIES})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000 * serverErrors));
      continue;
    }
    const retried = attempt > 0;
    if (
      response.status !== options.expect &&
      !(retried && response.status === options.acceptOnRetry)
    ) {
      throw new Error(
        `${method} ${path} answered ${response.status}, expected ${options.expect}: ${text.slice(0, 300)}`,
      );
    }
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  throw new Error(`${method} ${path} was still throttled after 20 attempts`);
}
