import { startFakeLocationApi, type FakeLocationApi } from './support/fake-location-api';
import { startFakeSsm, type FakeSsm } from './support/fake-ssm';
import {
  getProfileRequest,
  newCaller,
  putProfileRequest,
  startHarness,
  type Caller,
  type Harness,
  type ProfileFunctions,
} from './support/harness';

/**
 * get-profile as deployed: the location API's URL is not in its environment but in the SSM
 * parameter location publishes, read at run time through Powertools Parameters and the real SDK
 * (here against a fake SSM over HTTP on 127.0.0.1). When location's API is replaced (a new URL)
 * and only location is deployed, profile must find the new API on its own.
 */
const PARAMETER = '/sm/prod/location/api-url';

let harness: Harness;
let ssm: FakeSsm;
let oldApi: FakeLocationApi;
let newApi: FakeLocationApi;
let functions: ProfileFunctions;
const saved = process.env['AWS_ENDPOINT_URL_SSM'];

beforeAll(async () => {
  [ssm, oldApi, newApi] = await Promise.all([
    startFakeSsm(),
    startFakeLocationApi(),
    startFakeLocationApi(),
  ]);
  // The SDK reads it when Powertools creates its SSM client, on the first lookup.
  process.env['AWS_ENDPOINT_URL_SSM'] = ssm.endpoint;
  harness = await startHarness({
    LOCATION_API_URL: 'http://127.0.0.1:9/prod',
    LOCATION_LOOKUP_TIMEOUT_MS: '1000',
  });
  functions = await harness.loadFunctions({
    LOCATION_API_URL: '',
    LOCATION_API_URL_PARAMETER: PARAMETER,
    LOCATION_API_URL_MAX_AGE_SECONDS: '600',
  });
});
afterAll(async () => {
  if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_SSM'];
  else process.env['AWS_ENDPOINT_URL_SSM'] = saved;
  await harness?.stop();
  // The first test stops the old API itself (the replaced one).
  await Promise.all([ssm?.stop(), oldApi?.stop().catch(() => undefined), newApi?.stop()]);
});

const located = (api: FakeLocationApi, caller: Caller, latitude: number) =>
  api.answer(caller.userId, {
    kind: 'location',
    location: {
      userId: caller.userId,
      latitude,
      longitude: 13.4,
      updatedAt: '2026-11-27T10:15:30.123Z',
    },
  });

describe('the location API URL, read from SSM at run time', () => {
  it('finds location through the published URL, keeps it for its max age, and follows a replaced API after one failed lookup', async () => {
    const caller = newCaller('alice');
    expect(
      (
        await harness.invoke(
          'put-profile',
          putProfileRequest(caller.userId, caller, { displayName: 'Alice', bio: 'Cyclist' }),
          functions,
        )
      ).status,
    ).toBe(201);
    located(oldApi, caller, 52.5);
    located(newApi, caller, 48.1);
    ssm.set(PARAMETER, oldApi.baseUrl);

    // Two lookups, one SSM read: the value is kept for its max age.
    const first = await harness.invoke(
      'get-profile',
      getProfileRequest(caller.userId, caller),
      functions,
    );
    const second = await harness.invoke(
      'get-profile',
      getProfileRequest(caller.userId, caller),
      functions,
    );
    expect([first.body.location?.latitude, second.body.location?.latitude]).toEqual([52.5, 52.5]);
    expect(ssm.reads).toEqual([PARAMETER]);

    // Location deploys alone with a replaced API: a new URL in SSM, the old API gone.
    ssm.set(PARAMETER, newApi.baseUrl);
    await oldApi.stop();
    const during = await harness.invoke(
      'get-profile',
      getProfileRequest(caller.userId, caller),
      functions,
    );
    expect(during.status).toBe(200);
    expect(during.body.location).toBeNull(); // the old URL, from the cache, is unreachable
    const after = await harness.invoke(
      'get-profile',
      getProfileRequest(caller.userId, caller),
      functions,
    );
    expect(after.status).toBe(200);
    expect(after.body.location).toEqual({
      latitude: 48.1,
      longitude: 13.4,
      updatedAt: '2026-11-27T10:15:30.123Z',
    });
    // The failure made the next lookup read SSM again, long before the 600 s max age.
    expect(ssm.reads).toEqual([PARAMETER, PARAMETER]);
    expect(newApi.requests.map((r) => r.path)).toEqual([`/prod/loc/${caller.userId}`]);
  });

  it('answers with location: null, not an error, when the parameter is missing', async () => {
    const caller = newCaller('bob');
    expect(
      (
        await harness.invoke(
          'put-profile',
          putProfileRequest(caller.userId, caller, { displayName: 'Bob' }),
          functions,
        )
      ).status,
    ).toBe(201);
    const missing = await harness.loadFunctions({
      LOCATION_API_URL: '',
      LOCATION_API_URL_PARAMETER: '/sm/prod/location/missing',
    });
    const reply = await harness.invoke(
      'get-profile',
      getProfileRequest(caller.userId, caller),
      missing,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.location).toBeNull();
    expect(reply.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'WARN',
          locationLookup: expect.objectContaining({
            reason: 'unreachable',
            detail:
              'no location API URL: GetParameterError: Parameter /sm/prod/location/missing not found.',
          }),
        }),
      ]),
    );
  });
});
