import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signUpAndSignIn } from './session';
import type { ApiRoutes } from './target';

/**
 * A stand-in for the auth API on 127.0.0.1 answering from a script, so the set-up's own rules
 * (retries, what counts as done) are under test, not the service.
 */
async function fakeAuth(
  answers: [number, unknown][],
): Promise<{ api: ApiRoutes; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const [status, body] = answers.shift() ?? [500, { detail: 'no answer left' }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_aws/execute-api/aaaaaaaaaa/prod`;
  return {
    api: { baseUrl: () => base, url: (_method, _resource, path) => `${base}${path}` },
    seen,
    server,
  };
}

const USER_ID = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const token = [
  201,
  {
    token: 't'.repeat(43),
    tokenType: 'Bearer',
    expiresAt: '2030-01-01T00:00:00.000Z',
    userId: USER_ID,
  },
] as [number, unknown];

describe('signUpAndSignIn', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('registers and signs in at the auth API’s base URL, the user id from the sign-in', async () => {
    const auth = await fakeAuth([[201, { userId: USER_ID }], token]);
    server = auth.server;
    expect(await signUpAndSignIn(auth.api)).toEqual({
      userId: USER_ID,
      token: 't'.repeat(43),
      authorization: `Bearer ${'t'.repeat(43)}`,
    });
    expect(auth.seen).toEqual([
      'POST /_aws/execute-api/aaaaaaaaaa/prod/users',
      'POST /_aws/execute-api/aaaaaaaaaa/prod/tokens',
    ]);
  });

  it('retries a registration that ran out of time, and takes 409 on the retry as the first attempt stored', async () => {
    const auth = await fakeAuth([[502, {}], [409, { type: 'urn:problem-type:conflict' }], token]);
    server = auth.server;
    expect((await signUpAndSignIn(auth.api)).userId).toBe(USER_ID);
    expect(auth.seen.map((entry) => entry.split('/').pop())).toEqual(['users', 'users', 'tokens']);
  });

  it('never takes 409 on the first attempt, nor retries a 500, and gives up after three server errors', async () => {
    let auth = await fakeAuth([[409, {}]]);
    server = auth.server;
    await expect(signUpAndSignIn(auth.api)).rejects.toThrow(
      'POST /_aws/execute-api/aaaaaaaaaa/prod/users answered 409, expected 201',
    );
    server.close();
    auth = await fakeAuth([[500, {}]]);
    server = auth.server;
    await expect(signUpAndSignIn(auth.api)).rejects.toThrow('answered 500, expected 201');
    server.close();
    auth = await fakeAuth([
      [504, {}],
      [504, {}],
      [504, {}],
      [504, {}],
    ]);
    server = auth.server;
    await expect(signUpAndSignIn(auth.api)).rejects.toThrow('answered 504, expected 201');
    expect(auth.seen).toHaveLength(4);
  }, 20_000);
});
