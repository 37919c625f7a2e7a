import { startFakeLocationApi, type FakeLocationApi } from './support/fake-location-api';
import {
  getProfileRequest,
  newCaller,
  putProfileRequest,
  startHarness,
  type Caller,
  type Harness,
  type Reply,
} from './support/harness';

let harness: Harness;
let locationApi: FakeLocationApi;

beforeAll(async () => {
  locationApi = await startFakeLocationApi();
  harness = await startHarness({ LOCATION_API_URL: locationApi.baseUrl });
});
afterAll(async () => {
  await harness?.stop();
  await locationApi?.stop();
});
beforeEach(() => locationApi.reset());

const put = (
  userId: string,
  caller: Caller | null,
  body: unknown,
  headers?: Readonly<Record<string, string>>,
): Promise<Reply> =>
  harness.invoke('put-profile', putProfileRequest(userId, caller, body, headers));
const get = (userId: string, caller: Caller): Promise<Reply> =>
  harness.invoke('get-profile', getProfileRequest(userId, caller));
const storedItem = async (userId: string) =>
  (await harness.scan()).find((item) => item.userId === userId);

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('PUT /profile/{userId}', () => {
  it('creates the profile with 201, ETag "v1", an empty bio and no location lookup', async () => {
    // Prepare
    const alice = newCaller('alice');

    // Act
    const reply = await put(alice.userId, alice, { displayName: 'Alice' });

    // Assess
    expect(reply.status).toBe(201);
    expect(reply.headers.ETag).toBe('"v1"');
    expect(reply.body).toEqual({
      userId: alice.userId,
      displayName: 'Alice',
      bio: '',
      location: null,
      updatedAt: expect.stringMatching(ISO_MS),
    });
    expect(reply.metrics).toContain('ProfileUpdated');
    expect(await storedItem(alice.userId)).toEqual({
      userId: alice.userId,
      displayName: 'Alice',
      bio: '',
      updatedAt: reply.body.updatedAt,
      version: 1,
    });
    expect(locationApi.requests).toEqual([]);
  });

  it('replaces the profile without If-Match with 200 and the next version; GET returns the same ETag', async () => {
    const alice = newCaller('alice');
    await put(alice.userId, alice, { displayName: 'Alice' });

    const reply = await put(alice.userId, alice, { displayName: 'Alice L.', bio: 'Cyclist' });
    const read = await get(alice.userId, alice);

    expect(reply.status).toBe(200);
    expect(reply.headers.ETag).toBe('"v2"');
    expect(reply.body).toMatchObject({ displayName: 'Alice L.', bio: 'Cyclist', location: null });
    expect(read.status).toBe(200);
    expect(read.headers.ETag).toBe('"v2"');
    expect(read.body).toMatchObject({ displayName: 'Alice L.', bio: 'Cyclist' });
  });

  it('accepts a write whose If-Match names the current version', async () => {
    const alice = newCaller('alice');
    const created = await put(alice.userId, alice, { displayName: 'Alice' });

    const reply = await put(
      alice.userId,
      alice,
      { displayName: 'Alice', bio: 'v2' },
      {
        'If-Match': String(created.headers.ETag),
      },
    );

    expect(reply.status).toBe(200);
    expect(reply.headers.ETag).toBe('"v2"');
    expect(await storedItem(alice.userId)).toMatchObject({ bio: 'v2', version: 2 });
  });

  it('accepts If-Match listing several tags when one is current', async () => {
    const alice = newCaller('alice');
    await put(alice.userId, alice, { displayName: 'Alice' });
    await put(alice.userId, alice, { displayName: 'Alice' });

    const reply = await put(
      alice.userId,
      alice,
      { displayName: 'Alice' },
      { 'if-match': '"v1", "v2"' },
    );

    expect(reply.status).toBe(200);
    expect(reply.headers.ETag).toBe('"v3"');
  });

  it('refuses a stale If-Match with 412 and keeps the stored profile', async () => {
    // Prepare: two versions exist; the writer still holds the first.
    const alice = newCaller('alice');
    const first = await put(alice.userId, alice, { displayName: 'Alice' });
    await put(alice.userId, alice, { displayName: 'Alice', bio: 'second' });

    // Act
    const reply = await put(
      alice.userId,
      alice,
      { displayName: 'Overwrite' },
      {
        'If-Match': String(first.headers.ETag),
      },
    );

    // Assess
    expect(reply.status).toBe(412);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:problem-type:precondition-failed',
      status: 412,
      instance: `/prod/profile/${alice.userId}`,
    });
    expect(reply.metrics).not.toContain('ProfileUpdated');
    expect(await storedItem(alice.userId)).toMatchObject({
      displayName: 'Alice',
      bio: 'second',
      version: 2,
    });
  });

  it.each([
    ['a version tag', '"v1"'],
    ['*', '*'],
  ])(
    'refuses If-Match %s on a missing profile with 412 and creates nothing',
    async (_, ifMatch) => {
      const alice = newCaller('alice');

      const reply = await put(
        alice.userId,
        alice,
        { displayName: 'Alice' },
        { 'If-Match': ifMatch },
      );

      expect(reply.status).toBe(412);
      expect(reply.body.type).toBe('urn:problem-type:precondition-failed');
      expect(await storedItem(alice.userId)).toBeUndefined();
    },
  );

  it('accepts If-Match: * on an existing profile', async () => {
    const alice = newCaller('alice');
    await put(alice.userId, alice, { displayName: 'Alice' });

    const reply = await put(
      alice.userId,
      alice,
      { displayName: 'Alice', bio: 'starred' },
      { 'If-Match': '*' },
    );

    expect(reply.status).toBe(200);
    expect(reply.headers.ETag).toBe('"v2"');
  });

  it.each([
    ['a weak tag (If-Match compares strongly)', 'W/"v1"'],
    ['a tag we never issued', '"abc"'],
  ])('refuses %s with 412', async (_, ifMatch) => {
    const alice = newCaller('alice');
    await put(alice.userId, alice, { displayName: 'Alice' });

    const reply = await put(
      alice.userId,
      alice,
      { displayName: 'Changed' },
      { 'If-Match': ifMatch },
    );

    expect(reply.status).toBe(412);
    expect(await storedItem(alice.userId)).toMatchObject({ displayName: 'Alice', version: 1 });
  });

  it('refuses a malformed If-Match with 400 on /header/if-match and writes nothing', async () => {
    const alice = newCaller('alice');

    const reply = await put(alice.userId, alice, { displayName: 'Alice' }, { 'If-Match': 'v1' });

    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      type: 'urn:problem-type:validation-error',
      errors: [{ pointer: '/header/if-match', message: expect.any(String) }],
    });
    expect(await storedItem(alice.userId)).toBeUndefined();
  });

  it("refuses B's write to A's profile with 403, and A's profile reads back unchanged", async () => {
    // Prepare
    const alice = newCaller('alice');
    const bob = newCaller('bob');
    const created = await put(alice.userId, alice, { displayName: 'Alice', bio: 'mine' });

    // Act: without and with a (correct) If-Match
    const blind = await put(alice.userId, bob, { displayName: 'Bob was here' });
    const informed = await put(
      alice.userId,
      bob,
      { displayName: 'Bob was here' },
      {
        'If-Match': String(created.headers.ETag),
      },
    );
    const read = await get(alice.userId, alice);

    // Assess
    for (const reply of [blind, informed]) {
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ type: 'urn:problem-type:forbidden', status: 403 });
      expect(reply.metrics).not.toContain('ProfileUpdated');
    }
    expect(read.headers.ETag).toBe(created.headers.ETag);
    expect(read.body).toEqual({ ...created.body, location: null });
    expect(await storedItem(bob.userId)).toBeUndefined();
  });

  describe('refuses a body the contract does not allow with 400 problem+json, writing nothing', () => {
    it.each([
      ['malformed JSON', '{"displayName": "Alice"', '/body'],
      ['a missing displayName', { bio: 'no name' }, '/body'],
      ['an empty displayName', { displayName: '' }, '/body/displayName'],
      ['a displayName with surrounding spaces', { displayName: ' Alice ' }, '/body/displayName'],
      ['a displayName over 64 characters', { displayName: 'A'.repeat(65) }, '/body/displayName'],
      ['a bio over 500 characters', { displayName: 'Alice', bio: 'b'.repeat(501) }, '/body/bio'],
      ['a bio that is not a string', { displayName: 'Alice', bio: 42 }, '/body/bio'],
      [
        'an extra field',
        { displayName: 'Alice', location: { latitude: 1, longitude: 2 } },
        '/body',
      ],
      ['an array', [{ displayName: 'Alice' }], '/body'],
    ])('%s', async (_, body, pointer) => {
      // Prepare: a profile exists, so "nothing written" means it is unchanged.
      const alice = newCaller('alice');
      const created = await put(alice.userId, alice, { displayName: 'Alice', bio: 'original' });
      const headers: Record<string, string> =
        typeof body === 'string' ? { 'Content-Type': 'application/json' } : {};

      // Act
      const reply = await put(alice.userId, alice, body, headers);

      // Assess
      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.body.type).toBe('urn:problem-type:validation-error');
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pointer: expect.stringMatching(`^${pointer}`) }),
        ]),
      );
      expect(reply.metrics).not.toContain('ProfileUpdated');
      expect(await storedItem(alice.userId)).toMatchObject({
        displayName: 'Alice',
        bio: 'original',
        updatedAt: created.body.updatedAt,
        version: 1,
      });
    });
  });

  it('refuses a user id that is not a UUID with 400 on /path/userId and writes nothing', async () => {
    const alice = newCaller('alice');

    const reply = await put('not-a-uuid', alice, { displayName: 'Alice' });

    expect(reply.status).toBe(400);
    expect(reply.body.errors.length).toBeGreaterThan(0);
    for (const error of reply.body.errors) expect(error.pointer).toBe('/path/userId');
    expect(await harness.scan()).not.toContainEqual(
      expect.objectContaining({ userId: 'not-a-uuid' }),
    );
  });

  it('refuses a body that is not JSON with 415 and writes nothing', async () => {
    const alice = newCaller('alice');

    const reply = await put(alice.userId, alice, 'displayName=Alice', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });

    expect(reply.status).toBe(415);
    expect(reply.body.type).toBe('urn:problem-type:unsupported-media-type');
    expect(await storedItem(alice.userId)).toBeUndefined();
  });

  it('answers 401 without an authorizer principal and writes nothing', async () => {
    const alice = newCaller('alice');

    const reply = await put(alice.userId, null, { displayName: 'Alice' });

    expect(reply.status).toBe(401);
    expect(reply.body.type).toBe('urn:problem-type:unauthorized');
    expect(await storedItem(alice.userId)).toBeUndefined();
  });

  it('lets exactly one of 50 concurrent writers with the same If-Match win; the rest get 412', async () => {
    // Prepare
    const alice = newCaller('alice');
    const created = await put(alice.userId, alice, { displayName: 'Alice' });
    const ifMatch = String(created.headers.ETag);
    const writers = Array.from({ length: 50 }, (_, i) =>
      putProfileRequest(
        alice.userId,
        alice,
        { displayName: 'Alice', bio: `writer ${i}` },
        { 'If-Match': ifMatch },
      ),
    );

    // Act
    const { replies, metrics } = await harness.invokeAll('put-profile', writers);

    // Assess
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    const winner = replies.find((reply) => reply.status === 200) as Reply;
    expect(winner.headers.ETag).toBe('"v2"');
    expect(metrics.filter((name) => name === 'ProfileUpdated')).toHaveLength(1);

    const read = await get(alice.userId, alice);
    expect(read.headers.ETag).toBe('"v2"');
    expect(read.body).toEqual(winner.body);
    expect(await storedItem(alice.userId)).toMatchObject({ version: 2, bio: winner.body.bio });
  });
});
