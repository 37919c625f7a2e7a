import { createLocationClient, type components } from './index';

const userId = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const location: components['schemas']['Location'] = {
  userId,
  latitude: 52.520008,
  longitude: 13.404954,
  updatedAt: '2026-11-27T10:15:30.123Z',
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

describe('createLocationClient', () => {
  it('fills path parameters and sends the configured Authorization header', async () => {
    const { requests, fetch } = recordingFetch(200, location);
    const client = createLocationClient({
      baseUrl: 'http://127.0.0.1:1/prod',
      fetch,
      headers: { Authorization: 'Bearer t' },
    });

    const { data } = await client.GET('/loc/{userId}', { params: { path: { userId } } });

    const latitude: number | undefined = data?.latitude;
    expect(latitude).toBe(52.520008);
    expect(requests[0]?.url).toBe(`http://127.0.0.1:1/prod/loc/${userId}`);
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer t');
  });

  it('serializes query parameters', async () => {
    const { requests, fetch } = recordingFetch(200, { items: [location], nextCursor: null });
    const client = createLocationClient({ baseUrl: 'http://127.0.0.1:1', fetch });

    const { data } = await client.GET('/loc/{userId}/history', {
      params: { path: { userId }, query: { limit: 5, cursor: 'abc' } },
    });

    expect(data?.nextCursor).toBeNull();
    expect(requests[0]?.url).toBe(`http://127.0.0.1:1/loc/${userId}/history?limit=5&cursor=abc`);
  });

  it('sends a typed body with PUT', async () => {
    const { requests, fetch } = recordingFetch(200, location);
    const client = createLocationClient({ baseUrl: 'http://127.0.0.1:1', fetch });

    await client.PUT('/loc/{userId}', {
      params: { path: { userId } },
      body: { latitude: 1, longitude: 2 },
    });

    expect(requests[0]?.method).toBe('PUT');
    expect(await requests[0]?.json()).toEqual({ latitude: 1, longitude: 2 });
  });

  // Never called: each marked line must fail to compile, which the typecheck target proves
  // (an unused @ts-expect-error is itself an error).
  function typesRejectWhatTheContractRejects() {
    const client = createLocationClient({ baseUrl: 'http://127.0.0.1:1' });
    // @ts-expect-error the path parameter is required
    void client.GET('/loc/{userId}', {});
    const path = { userId };
    void client.PUT('/loc/{userId}', {
      params: { path },
      // @ts-expect-error latitude is a number
      body: { latitude: '1', longitude: 2 },
    });
    void client.GET('/loc/{userId}/history', {
      // @ts-expect-error limit is a number
      params: { path, query: { limit: 'ten' } },
    });
  }
  void typesRejectWhatTheContractRejects;
});
