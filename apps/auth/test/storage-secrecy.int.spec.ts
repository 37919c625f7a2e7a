import { createHash } from 'node:crypto';
import { authApi, PASSWORD, startAuthHarness, uniqueUsername, type AuthHarness } from './support/auth-harness';

jest.setTimeout(60_000);

let harness: AuthHarness;

beforeAll(async () => {
  harness = await startAuthHarness();
});
afterAll(() => harness.stop());

describe('what the tables hold', () => {
  it('shows no raw token and no plaintext password after registration and sign-in', async () => {
    const api = authApi(harness.handlers);
    const username = uniqueUsername('secret');
    await api.createUser({ username, password: PASSWORD, displayName: 'Keeper' });
    const { token } = (await api.createToken({ username, password: PASSWORD })).body as { token: string };

    const dump = JSON.stringify([...(await harness.scan('users')), ...(await harness.scan('tokens'))]);

    expect(dump).toContain(username); // the scan did see the data
    expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
    for (const secret of [PASSWORD, token]) {
      for (const encoding of ['utf8', 'hex', 'base64', 'base64url'] as const) {
        expect(dump).not.toContain(Buffer.from(secret).toString(encoding));
      }
    }
    expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
    expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('base64'));
  });
});
