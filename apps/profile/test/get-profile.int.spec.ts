import {
  closedPortBaseUrl,
  startFakeLocationApi,
  type FakeLocationApi,
  type LocationAnswer,
} from './support/fake-location-api';
import {
  getProfileRequest,
  newCaller,
  putProfileRequest,
  startHarness,
  type Caller,
  type Harness,
  type ProfileFunctions,
  type Reply,
} from './support/harness';

/** Short, so the slow cases stay quick; the 1000 ms default is covered by config.spec.ts. */
const LOOKUP_TIMEOUT_MS = 300;
/** Loose allowance over the budget for the table read, the adapter and a busy 2-core machine. */
const MARGIN_MS = 1000;

let harness: Harness;
let locationApi: FakeLocationApi;

beforeAll(async () => {
  locationApi = await startFakeLocationApi();
  harness = await startHarness({
    LOCATION_API_URL: locationApi.baseUrl,
    LOCATION_LOOKUP_TIMEOUT_MS: String(LOOKUP_TIMEOUT_MS),
  });
});
afterAll(async () => {
  await harness?.stop();
  await locationApi?.stop();
});
beforeEach(() => locationApi.reset());

/** A user with a profile, written through the real put-profile function. */
const userWithProfile = async (): Promise<{ caller: Caller; etag: string }> => {
  const caller = newCaller('alice');
  const reply = await harness.invoke(
    'put-profile',
    putProfileRequest(caller.userId, caller, { displayName: 'Alice', bio: 'Cyclist' }),
  );
  expect(reply.status).toBe(201);
  return { caller, etag: String(reply.headers.ETag) };
};

const get = (userId: string, caller: Caller | null, functions?: ProfileFunctions): Promise<Reply> =>
  harness.invoke('get-profile', getProfileRequest(userId, caller), functions);

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, elapsedMs: performance.now() - started };
};

const warnings = (reply: Reply) => reply.logs.filter((entry) => entry.level === 'WARN');

/** The profile came back whole, without a location, and the failure was logged and counted. */
const expectDegraded = (reply: Reply, caller: Caller, reason: string) => {
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    userId: caller.userId,
    displayName: 'Alice',
    bio: 'Cyclist',
    location: null,
    updatedAt: expect.any(String),
  });
  expect(reply.metrics).toContain('LocationLookupFailed');
  expect(warnings(reply)).toEqual([
    expect.objectContaining({
      message: expect.stringContaining('Location lookup failed'),
      userId: caller.userId,
      locationLookup: expect.objectContaining({ reason }),
    }),
  ]);
  // The caller's token is forwarded, never logged.
  expect(reply.output).not.toContain(caller.token);
};

describe('GET /profile/{userId}', () => {
  it("includes the user's current location, read with the caller's token, and the profile's ETag", async () => {
    // Prepare: Bob reads Alice's profile.
    const { caller: alice, etag } = await userWithProfile();
    const bob = newCaller('bob');
    locationApi.answer(alice.userId, {
      kind: 'location',
      location: {
        userId: alice.userId,
        latitude: 52.520008,
        longitude: 13.404954,
        accuracy: 12.5,
        updatedAt: '2026-11-27T10:15:30.123Z',
      },
    });

    // Act
    const reply = await get(alice.userId, bob);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.ETag).toBe(etag);
    expect(reply.body).toEqual({
      userId: alice.userId,
      displayName: 'Alice',
      bio: 'Cyclist',
      location: {
        latitude: 52.520008,
        longitude: 13.404954,
        accuracy: 12.5,
        updatedAt: '2026-11-27T10:15:30.123Z',
      },
      updatedAt: expect.any(String),
    });
    expect(locationApi.requests).toEqual([
      { method: 'GET', path: `/prod/loc/${alice.userId}`, authorization: `Bearer ${bob.token}` },
    ]);
    expect(reply.metrics).not.toContain('LocationLookupFailed');
    expect(warnings(reply)).toEqual([]);
  });

  it('leaves accuracy out when the location service reports none', async () => {
    const { caller } = await userWithProfile();
    locationApi.answer(caller.userId, {
      kind: 'location',
      location: {
        userId: caller.userId,
        latitude: -33.8688,
        longitude: 151.2093,
        updatedAt: '2026-11-27T09:02:11.000Z',
      },
    });

    const reply = await get(caller.userId, caller);

    expect(reply.body.location).toEqual({
      latitude: -33.8688,
      longitude: 151.2093,
      updatedAt: '2026-11-27T09:02:11.000Z',
    });
  });

  it('answers location: null without a warning when the user has no location yet (404)', async () => {
    const { caller } = await userWithProfile();
    locationApi.answer(caller.userId, { kind: 'no-location' });

    const reply = await get(caller.userId, caller);

    expect(reply.status).toBe(200);
    expect(reply.body.location).toBeNull();
    expect(locationApi.requests).toHaveLength(1);
    expect(warnings(reply)).toEqual([]);
    expect(reply.metrics).not.toContain('LocationLookupFailed');
  });

  it('answers 200 with location: null, a warning and a metric when the location service is down', async () => {
    // Prepare: a cold start whose LOCATION_API_URL points at a closed port.
    const { caller } = await userWithProfile();
    const down = await harness.loadFunctions({ LOCATION_API_URL: await closedPortBaseUrl() });

    // Act
    const { value: reply, elapsedMs } = await timed(() => get(caller.userId, caller, down));

    // Assess
    expectDegraded(reply, caller, 'unreachable');
    expect(elapsedMs).toBeLessThan(LOOKUP_TIMEOUT_MS + MARGIN_MS);
  });

  it.each<[string, LocationAnswer]>([
    [
      'answers later than the budget',
      { kind: 'slow', delayMs: LOOKUP_TIMEOUT_MS + 1500, then: { kind: 'no-location' } },
    ],
    ['sends headers at once and then stalls mid-body', { kind: 'stall-body' }],
  ])(
    'answers within its budget with location: null when the location service %s',
    async (_, answer) => {
      const { caller } = await userWithProfile();
      locationApi.answer(caller.userId, answer);

      const { value: reply, elapsedMs } = await timed(() => get(caller.userId, caller));

      expectDegraded(reply, caller, 'timeout');
      expect(elapsedMs).toBeLessThan(LOOKUP_TIMEOUT_MS + MARGIN_MS);
    },
  );

  it.each<[string, LocationAnswer, string]>([
    [
      'a 5xx',
      {
        kind: 'raw',
        status: 502,
        contentType: 'application/problem+json',
        body: '{"type":"urn:problem-type:bad-gateway","title":"Bad Gateway","status":502}',
      },
      'error-status',
    ],
    [
      'a 403',
      { kind: 'raw', status: 403, contentType: 'application/problem+json', body: '{}' },
      'error-status',
    ],
    [
      'a 200 that is not JSON',
      { kind: 'raw', status: 200, contentType: 'application/json', body: '<html>oops</html>' },
      'malformed',
    ],
    [
      'a 200 with an empty body',
      { kind: 'raw', status: 200, contentType: 'application/json', body: '' },
      'malformed',
    ],
    [
      'a 200 with a field the contract does not allow',
      { kind: 'raw', status: 200, contentType: 'application/json', body: '__EXTRA__' },
      'malformed',
    ],
    [
      'a 200 with a latitude out of range',
      { kind: 'raw', status: 200, contentType: 'application/json', body: '__RANGE__' },
      'malformed',
    ],
    [
      "a 200 with another user's location",
      { kind: 'raw', status: 200, contentType: 'application/json', body: '__OTHER__' },
      'malformed',
    ],
  ])(
    'answers location: null, a warning and a metric when the location service answers %s',
    async (_, answer, reason) => {
      // Prepare: bodies that need the user id are filled in here.
      const { caller } = await userWithProfile();
      const location = {
        userId: caller.userId,
        latitude: 52.5,
        longitude: 13.4,
        updatedAt: '2026-11-27T10:15:30.123Z',
      };
      const bodies: Record<string, string> = {
        __EXTRA__: JSON.stringify({ ...location, altitude: 34 }),
        __RANGE__: JSON.stringify({ ...location, latitude: 91 }),
        __OTHER__: JSON.stringify({ ...location, userId: newCaller().userId }),
      };
      locationApi.answer(
        caller.userId,
        answer.kind === 'raw' ? { ...answer, body: bodies[answer.body] ?? answer.body } : answer,
      );

      // Act
      const reply = await get(caller.userId, caller);

      // Assess
      expectDegraded(reply, caller, reason);
    },
  );

  it("treats a 404 that is not the contract's not-found (a wrong LOCATION_API_URL) as a failure", async () => {
    const { caller } = await userWithProfile();
    const misrouted = await harness.loadFunctions({
      LOCATION_API_URL: `${locationApi.baseUrl}/v2`,
    });

    const reply = await get(caller.userId, caller, misrouted);

    expect(locationApi.requests).toEqual([
      expect.objectContaining({ path: `/prod/v2/loc/${caller.userId}` }),
    ]);
    expectDegraded(reply, caller, 'error-status');
  });

  it('answers 404 not-found for a user without a profile, with no lookup warning', async () => {
    const stranger = newCaller('stranger');
    const down = await harness.loadFunctions({ LOCATION_API_URL: await closedPortBaseUrl() });

    const reply = await get(stranger.userId, stranger, down);

    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:problem-type:not-found',
      status: 404,
      detail: 'No profile exists for this user.',
      instance: `/prod/profile/${stranger.userId}`,
    });
    expect(warnings(reply)).toEqual([]);
    expect(reply.metrics).not.toContain('LocationLookupFailed');
  });

  it('refuses a user id that is not a UUID with 400 on /path/userId', async () => {
    const caller = newCaller();

    const reply = await get('3F1C2A9E-5B7D-4E2F-9A61-0C8D4B2E7F10', caller);

    expect(reply.status).toBe(400);
    expect(reply.body.type).toBe('urn:problem-type:validation-error');
    for (const error of reply.body.errors) expect(error.pointer).toBe('/path/userId');
    expect(locationApi.requests).toEqual([]);
  });

  it('answers 401 without an authorizer principal, asking nobody', async () => {
    const { caller } = await userWithProfile();

    const reply = await get(caller.userId, null);

    expect(reply.status).toBe(401);
    expect(reply.body.type).toBe('urn:problem-type:unauthorized');
    expect(locationApi.requests).toEqual([]);
  });
});
