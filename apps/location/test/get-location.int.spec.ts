import { principal, startHarness, type Harness } from './support/harness';

const A = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const B = '9b2d4c6e-1a3f-4b5d-8e7f-0a1b2c3d4e5f';
const RESOURCE = '/loc/{userId}';

let api: Harness;
beforeAll(async () => {
  api = await startHarness();
});
afterAll(async () => api?.stop());

const getCurrent = (caller: string | null, userId: string) =>
  api.invoke('get-location', {
    method: 'GET',
    resource: RESOURCE,
    pathParameters: { userId },
    principal: caller === null ? null : principal(caller),
  });

describe('GET /loc/{userId}', () => {
  it('lets any signed-in user read another user’s current location, coarsely; the owner exactly', async () => {
    const written = await api.invoke('put-location', {
      method: 'PUT',
      resource: RESOURCE,
      pathParameters: { userId: A },
      body: { latitude: -33.868812345, longitude: 151.209298765, accuracy: 4.25 },
      principal: principal(A),
    });

    const other = await getCurrent(B, A);
    const owner = await getCurrent(A, A);

    expect(other.status).toBe(200);
    expect(other.headers['content-type']).toBe('application/json');
    expect(other.body).toEqual({ ...(written.body as object), latitude: -33.87, longitude: 151.21, accuracy: 800 });
    expect(owner.body).toEqual(written.body);
    expect(owner.body).toMatchObject({ latitude: -33.868812345, longitude: 151.209298765, accuracy: 4.25 });
  });

  it('answers 404 not-found for a user who never reported a location', async () => {
    const reply = await getCurrent(A, B);

    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({
      type: 'urn:problem-type:not-found',
      status: 404,
      instance: `/prod/loc/${B}`,
    });
  });

  it('refuses a request without an authorizer principal with 401', async () => {
    const reply = await getCurrent(null, A);

    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ type: 'urn:problem-type:unauthorized' });
  });

  it('refuses a user id that is not a UUID with 400 on /path/userId', async () => {
    const reply = await getCurrent(A, 'ABC');

    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/path/userId' })]),
    );
  });
});
