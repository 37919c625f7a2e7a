import { createAuthClient, type components } from './index';

const created: components['schemas']['User'] = {
  userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
  username: 'alice_01',
  displayName: 'Alice',
};

/** A fetch that records each request and answers with the given status and body. */
function recordingFetch(status: number, body: unknown) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { requests, fetch };
}

describe('createAuthClient', () => {
  it('sends typed requests to the base URL with the configured headers', async () => {
    const { requests, fetch } = recordingFetch(201, created);
    const client = createAuthClient({
      baseUrl: 'http://127.0.0.1:1/prod',
      fetch,
      headers: { 'x-trace': 't1' },
    });

    const { data, error } = await client.POST('/users', {
      body: {
        username: 'alice_01',
        password: 'correct horse battery staple',
        displayName: 'Alice',
      },
    });

    expect(error).toBeUndefined();
    expect(data?.userId).toBe(created.userId);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe('http://127.0.0.1:1/prod/users');
    expect(requests[0]?.headers.get('x-trace')).toBe('t1');
    expect(await requests[0]?.json()).toEqual({
      username: 'alice_01',
      password: 'correct horse battery staple',
      displayName: 'Alice',
    });
  });

  it('returns a problem+json error body typed from the contract', async () => {
    const problem = {
      type: 'urn:problem-type:username-taken',
      title: 'Username Taken',
      status: 409,
    };
    const { fetch } = recordingFetch(409, problem);
    const client = createAuthClient({ baseUrl: 'http://127.0.0.1:1', fetch });

    const { data, error } = await client.POST('/users', {
      body: {
        username: 'alice_01',
        password: 'correct horse battery staple',
        displayName: 'Alice',
      },
    });

    expect(data).toBeUndefined();
    expect(error?.type).toBe('urn:problem-type:username-taken');
  });

  // Never called: each marked line must fail to compile, which the typecheck target proves
  // (an unused @ts-expect-error is itself an error).
  function typesRejectWhatTheContractRejects() {
    const client = createAuthClient({ baseUrl: 'http://127.0.0.1:1' });
    // @ts-expect-error the contract has no such path
    void client.POST('/accounts', { body: {} });
    // @ts-expect-error displayName is required
    void client.POST('/users', { body: { username: 'a', password: 'b' } });
    // @ts-expect-error /tokens/current has no GET
    void client.GET('/tokens/current');
  }
  void typesRejectWhatTheContractRejects;
});
