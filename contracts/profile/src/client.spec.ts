import { createProfileClient, type components } from './index';

const userId = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const profile: components['schemas']['Profile'] = {
  userId,
  displayName: 'Alice',
  bio: '',
  location: null,
  updatedAt: '2026-11-26T08:00:00.000Z',
};

/** A fetch that records each request and answers with the given status and body. */
function recordingFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  };
  return { requests, fetch };
}

describe('createProfileClient', () => {
  it('reads a profile whose location may be null, and its ETag', async () => {
    const { fetch } = recordingFetch(200, profile, { etag: '"v3"' });
    const client = createProfileClient({ baseUrl: 'http://127.0.0.1:1', fetch });

    const { data, response } = await client.GET('/profile/{userId}', {
      params: { path: { userId } },
    });

    const location: components['schemas']['ProfileLocation'] | undefined = data?.location;
    expect(location).toBeNull();
    expect(response.headers.get('etag')).toBe('"v3"');
  });

  it('sends If-Match as a header parameter with PUT', async () => {
    const { requests, fetch } = recordingFetch(200, profile);
    const client = createProfileClient({ baseUrl: 'http://127.0.0.1:1', fetch });

    await client.PUT('/profile/{userId}', {
      params: { path: { userId }, header: { 'If-Match': '"v3"' } },
      body: { displayName: 'Alice' },
    });

    expect(requests[0]?.headers.get('if-match')).toBe('"v3"');
    expect(await requests[0]?.json()).toEqual({ displayName: 'Alice' });
  });

  // Never called: each marked line must fail to compile, which the typecheck target proves
  // (an unused @ts-expect-error is itself an error).
  function typesRejectWhatTheContractRejects() {
    const client = createProfileClient({ baseUrl: 'http://127.0.0.1:1' });
    // @ts-expect-error a profile has no DELETE
    void client.DELETE('/profile/{userId}', { params: { path: { userId } } });
    void client.PUT('/profile/{userId}', {
      params: { path: { userId } },
      // @ts-expect-error bio is a string
      body: { displayName: 'A', bio: 1 },
    });
  }
  void typesRejectWhatTheContractRejects;
});
