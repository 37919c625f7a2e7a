import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@sm/dynamo';
import { principal, startHarness, type Harness } from './support/harness';

const A = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const B = '9b2d4c6e-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const C = 'c0ffee00-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const RESOURCE = '/loc/{userId}';

let api: Harness;
beforeAll(async () => {
  api = await startHarness();
});
afterAll(async () => api?.stop());

const put = (
  caller: string | null,
  userId: string,
  body: unknown,
  headers?: Record<string, string>,
) =>
  api.invoke('put-location', {
    method: 'PUT',
    resource: RESOURCE,
    pathParameters: { userId },
    body,
    ...(headers ? { headers } : {}),
    principal: caller === null ? null : principal(caller),
  });
const getCurrent = (caller: string, userId: string) =>
  api.invoke('get-location', {
    method: 'GET',
    resource: RESOURCE,
    pathParameters: { userId },
    principal: principal(caller),
  });
const history = (caller: string, userId: string) =>
  api.invoke('list-location-history', {
    method: 'GET',
    resource: `${RESOURCE}/history`,
    pathParameters: { userId },
    principal: principal(caller),
  });
const itemCount = async () => {
  const db = createDocumentClient();
  try {
    const { Count } = await db.send(new ScanCommand({ TableName: api.tableName, Select: 'COUNT' }));
    return Count;
  } finally {
    db.destroy();
  }
};

describe('PUT /loc/{userId}', () => {
  it('records the owner’s location as current and in history, and counts LocationUpdated', async () => {
    const before = Date.now();

    const reply = await put(A, A, { latitude: 52.520008, longitude: 13.404954, accuracy: 12.5 });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      userId: A,
      latitude: 52.520008,
      longitude: 13.404954,
      accuracy: 12.5,
      updatedAt: expect.any(String),
    });
    expect(Date.parse(reply.body.updatedAt)).toBeGreaterThanOrEqual(before);
    expect(reply.metrics).toContain('LocationUpdated');
    expect((await getCurrent(A, A)).body).toEqual(reply.body);
    expect((await history(A, A)).body.items[0]).toEqual(reply.body);
  });

  it('records values too small for DynamoDB (found by fuzzing: 2.2e-309 was a 500) at the recorded resolution', async () => {
    const D = 'd00dfeed-1a3f-4b5d-8e7f-0a1b2c3d4e5f';

    const reply = await put(D, D, { latitude: 2.225073858507203e-309, longitude: 124.3500000004, accuracy: 1e-200 });

    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ userId: D, latitude: 0, longitude: 124.35, accuracy: 0 });
    expect((await getCurrent(D, D)).body).toEqual(reply.body);
    expect((await history(D, D)).body.items).toEqual([reply.body]);
  });

  it('accepts a fix without accuracy, at the edges of the valid ranges', async () => {
    const reply = await put(C, C, { latitude: -90, longitude: 180 });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      userId: C,
      latitude: -90,
      longitude: 180,
      updatedAt: expect.any(String),
    });
    expect((await getCurrent(C, C)).body).toEqual(reply.body);
  });

  it('makes the latest report current and keeps every report, even several in one millisecond', async () => {
    const replies = [];
    for (let i = 1; i <= 5; i += 1) replies.push(await put(B, B, { latitude: i, longitude: i }));

    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await getCurrent(B, B)).body.latitude).toBe(5);
    const items = (await history(B, B)).body.items as { latitude: number }[];
    expect(items.map((item) => item.latitude)).toEqual([5, 4, 3, 2, 1]);
  });

  it('forbids writing another user’s location and leaves theirs unchanged', async () => {
    await put(A, A, { latitude: 1, longitude: 1 });
    const currentBefore = (await getCurrent(A, A)).body;
    const historyBefore = (await history(A, A)).body;
    const count = await itemCount();

    const reply = await put(B, A, { latitude: 66, longitude: 66 });

    expect(reply.status).toBe(403);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:problem-type:forbidden',
      status: 403,
      instance: `/prod/loc/${A}`,
    });
    expect(reply.metrics).not.toContain('LocationUpdated');
    expect((await getCurrent(A, A)).body).toEqual(currentBefore);
    expect((await history(A, A)).body).toEqual(historyBefore);
    expect(await itemCount()).toBe(count);
  });

  it('refuses a request without an authorizer principal with 401', async () => {
    const reply = await put(null, A, { latitude: 1, longitude: 1 });

    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ type: 'urn:problem-type:unauthorized', status: 401 });
  });

  describe('refuses a body that breaks the contract with 400 and writes nothing', () => {
    it.each([
      ['latitude above 90', { latitude: 90.0001, longitude: 0 }, '/body/latitude'],
      ['latitude below -90', { latitude: -91, longitude: 0 }, '/body/latitude'],
      ['longitude above 180', { latitude: 0, longitude: 180.5 }, '/body/longitude'],
      ['longitude below -180', { latitude: 0, longitude: -181 }, '/body/longitude'],
      ['negative accuracy', { latitude: 0, longitude: 0, accuracy: -1 }, '/body/accuracy'],
      ['accuracy above 100 km', { latitude: 0, longitude: 0, accuracy: 100_001 }, '/body/accuracy'],
      ['latitude as a string', { latitude: '52.5', longitude: 0 }, '/body/latitude'],
      ['an extra field', { latitude: 0, longitude: 0, altitude: 30 }, '/body/altitude'],
      [
        'an attempt to set the timestamp',
        { latitude: 0, longitude: 0, updatedAt: '2000-01-01T00:00:00.000Z' },
        '/body/updatedAt',
      ],
      ['a missing latitude', { longitude: 0 }, '/body/latitude'],
      ['a missing longitude', { latitude: 0 }, '/body/longitude'],
      ['an array', [{ latitude: 0, longitude: 0 }], '/body'],
    ])('%s', async (_, body, pointer) => {
      const count = await itemCount();

      const reply = await put(A, A, body);

      expect(reply.status).toBe(400);
      expect(reply.headers['content-type']).toBe('application/problem+json');
      expect(reply.body).toMatchObject({ type: 'urn:problem-type:validation-error', status: 400 });
      expect(reply.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ pointer })]),
      );
      expect(await itemCount()).toBe(count);
    });

    it.each([
      ['malformed JSON', '{"latitude": 1, "longitude": '],
      ['an empty body', ''],
      ['JSON null', 'null'],
    ])('%s', async (_, raw) => {
      const count = await itemCount();

      const reply = await put(A, A, raw, { 'Content-Type': 'application/json' });

      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ type: 'urn:problem-type:validation-error', status: 400 });
      expect(await itemCount()).toBe(count);
    });
  });

  it('refuses a body that is not JSON with 415 and writes nothing', async () => {
    const count = await itemCount();

    const reply = await put(A, A, 'latitude=1&longitude=2', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });

    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ type: 'urn:problem-type:unsupported-media-type' });
    expect(await itemCount()).toBe(count);
  });

  it('refuses a user id that is not a UUID with 400 on /path/userId', async () => {
    const reply = await put('not-a-uuid', 'not-a-uuid', { latitude: 0, longitude: 0 });

    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/path/userId' })]),
    );
  });
});
