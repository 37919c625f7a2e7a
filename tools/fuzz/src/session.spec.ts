import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedFuzzUser } from './session';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A stand-in for the API on 127.0.0.1 that records what the seeding sends: the seeding's own
 * logic (order, bodies, bearer token, retries, errors) is under test, not the services.
 */
async function fakeApi(
  answer: (seen: Seen, count: number) => [number, unknown],
): Promise<{ origin: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => resolve(text));
    });
  const server = createServer((req, res) => {
    void read(req).then((text) => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(text) as Record<string, unknown>,
      };
      seen.push(entry);
      const [status, body] = answer(entry, seen.length);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const USER_ID = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';

/** Each service's base URL on the stand-in: distinct stage paths, so the test sees which one a request used. */
const apisOn = (origin: string) =>
  new Map([
    ['auth', `${origin}/_aws/execute-api/aaaaaaaaaa/prod`],
    ['profile', `${origin}/_aws/execute-api/pppppppppp/prod`],
    ['location', `${origin}/_aws/execute-api/llllllllll/prod`],
  ]);
const AUTH = '/_aws/execute-api/aaaaaaaaaa/prod';

function happy(seen: Seen): [number, unknown] {
  if (seen.url === `${AUTH}/users`)
    return [201, { userId: USER_ID, username: seen.body['username'], displayName: 'Fuzz User' }];
  if (seen.url === `${AUTH}/tokens`)
    return [
      201,
      {
        token: 't'.repeat(43),
        tokenType: 'Bearer',
        expiresAt: '2030-01-01T00:00:00.000Z',
        userId: USER_ID,
      },
    ];
  return [200, {}];
}

describe('seedFuzzUser', () => {
  let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
  afterEach(() => api?.server.close());

  it('registers, signs in, then writes a profile and a location as that user, each at its own API’s base URL', async () => {
    api = await fakeApi(happy);
    const user = await seedFuzzUser(apisOn(api.origin));
    expect(user.userId).toBe(USER_ID);
    expect(user.token).toBe('t'.repeat(43));
    expect(user.username).toMatch(/^fuzz_[0-9a-f]{12}$/);
    expect(user.password.length).toBeGreaterThanOrEqual(12);
    expect(api.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST ${AUTH}/users`,
      `POST ${AUTH}/tokens`,
      `PUT /_aws/execute-api/pppppppppp/prod/profile/${USER_ID}`,
      `PUT /_aws/execute-api/llllllllll/prod/loc/${USER_ID}`,
    ]);
    expect(api.seen[1]?.body).toEqual({ username: user.username, password: user.password });
    expect(api.seen.slice(2).map((s) => s.authorization)).toEqual([
      `Bearer ${user.token}`,
      `Bearer ${user.token}`,
    ]);
  });

  it('waits out a throttled request and retries it', async () => {
    api = await fakeApi((seen, count) =>
      count === 1 ? [429, { type: 'urn:problem-type:throttled' }] : happy(seen),
    );
    await seedFuzzUser(apisOn(api.origin));
    expect(api.seen.map((s) => s.url).slice(0, 2)).toEqual([`${AUTH}/users`, `${AUTH}/users`]);
  });

  it('names the request that failed and what it answered', async () => {
    api = await fakeApi((seen) =>
      seen.url.includes('/loc/') ? [500, { type: 'urn:problem-type:internal-error' }] : happy(seen),
    );
    await expect(seedFuzzUser(apisOn(api.origin))).rejects.toThrow(
      'Seeding the fuzz user: PUT /loc/{userId} answered 500: {"type":"urn:problem-type:internal-error"}',
    );
  });
});
