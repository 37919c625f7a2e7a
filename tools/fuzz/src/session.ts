import { randomBytes } from 'node:crypto';
import { urlBelow, type ServiceUrls } from '@sm/stage-target';

/** The signed-in user the fuzzer acts as, with the data it owns. */
export interface FuzzUser {
  userId: string;
  username: string;
  password: string;
  token: string;
}

interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request; retries only a 429 (the stage bucket refills), bounded in count and time. */
async function requestJson(
  url: string,
  method: string,
  body: unknown,
  authorization?: string,
): Promise<JsonReply> {
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      continue;
    }
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  }
  throw new Error(`${method} ${new URL(url).pathname} was still throttled after 10 attempts`);
}

async function expectStatus(
  reply: Promise<JsonReply>,
  what: string,
  expected: number[],
): Promise<Record<string, unknown>> {
  const { status, body } = await reply;
  if (!expected.includes(status))
    throw new Error(
      `Seeding the fuzz user: ${what} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`,
    );
  return body;
}

function stringField(body: Record<string, unknown>, field: string, what: string): string {
  const value = body[field];
  if (typeof value !== 'string')
    throw new Error(`Seeding the fuzz user: ${what} returned no ${field}`);
  return value;
}

/**
 * Registers a fresh user and signs in through the public API, as a client does, then gives the
 * user a profile and a current location, so generated reads of the owner's id meet real data
 * rather than 404s. Each request goes to its own service's base URL.
 */
export async function seedFuzzUser(apis: ServiceUrls): Promise<FuzzUser> {
  const username = `fuzz_${randomBytes(6).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const url = (service: 'auth' | 'profile' | 'location', path: string) => {
    const base = apis.get(service);
    if (!base) throw new Error(`Seeding the fuzz user: no base URL for the ${service} API`);
    return urlBelow(base, path);
  };

  const user = await expectStatus(
    requestJson(url('auth', '/users'), 'POST', { username, password, displayName: 'Fuzz User' }),
    'POST /users',
    [201],
  );
  const userId = stringField(user, 'userId', 'POST /users');
  const signIn = await expectStatus(
    requestJson(url('auth', '/tokens'), 'POST', { username, password }),
    'POST /tokens',
    [201],
  );
  const token = stringField(signIn, 'token', 'POST /tokens');
  const authorization = `Bearer ${token}`;

  const owned = encodeURIComponent(userId);
  await expectStatus(
    requestJson(
      url('profile', `/profile/${owned}`),
      'PUT',
      { displayName: 'Fuzz User', bio: 'Seeded by tools/fuzz.' },
      authorization,
    ),
    'PUT /profile/{userId}',
    [200, 201],
  );
  await expectStatus(
    requestJson(
      url('location', `/loc/${owned}`),
      'PUT',
      { latitude: 52.520008, longitude: 13.404954, accuracy: 12.5 },
      authorization,
    ),
    'PUT /loc/{userId}',
    [200],
  );
  return { userId, username, password, token };
}
