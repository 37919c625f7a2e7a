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
 * scenarios exercise the same path against the local runtime or a deployed stage.
 */
export async function signUpAndSignIn(api: ApiRoutes): Promise<Session> {
  const username = `load_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const user = await requestJson(api.url('POST', '/users', '/users'), 'POST', {
    body: { username, password, displayName: 'Load Test' },
    expect: 201,
  });
  const token = await requestJson(api.url('POST', '/tokens', '/tokens'), 'POST', {
    body: { username, password },
    expect: 201,
  });
  const userId = String(user['userId']);
  const value = String(token['token']);
  return { userId, token: value, authorization: `Bearer ${value}` };
}

/** Sends one JSON request, retrying only on 429 (the stage may still be refilling its bucket). */
export async function requestJson(
  url: string,
  method: string,
  options: { body?: unknown; authorization?: string; expect: number },
): Promise<Record<string, unknown>> {
  const path = new URL(url).pathname;
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
    if (response.status !== options.expect) {
      throw new Error(
        `${method} ${path} answered ${response.status}, expected ${options.expect}: ${text.slice(0, 300)}`,
      );
    }
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  throw new Error(`${method} ${path} was still throttled after 20 attempts`);
}
