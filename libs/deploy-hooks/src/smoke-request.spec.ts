import {
  authorizerSmokeRequest,
  operationSmokeRequest,
  SMOKE_PRINCIPAL,
  SMOKE_TOKEN,
  SmokeRequestError,
  type SmokeExample,
  type SmokeOperation,
} from './smoke-request';

const userId = '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10';
const example = (patch: Partial<SmokeExample> = {}): SmokeExample => ({
  pathParameters: { userId },
  queryStringParameters: {},
  headers: {},
  body: null,
  missing: [],
  ...patch,
});
const problems = {
  '400': 'application/problem+json',
  '401': 'application/problem+json',
  '403': 'application/problem+json',
  '429': 'application/problem+json',
  '500': 'application/problem+json',
};
const getLocation: SmokeOperation = {
  operationId: 'getLocation',
  method: 'GET',
  path: '/loc/{userId}',
  secured: true,
  requestBody: null,
  responses: { '200': 'application/json', '404': 'application/problem+json', ...problems },
};
const putLocation: SmokeOperation = {
  operationId: 'putLocation',
  method: 'PUT',
  path: '/loc/{userId}',
  secured: true,
  requestBody: { contentType: 'application/json' },
  responses: { '200': 'application/json', ...problems },
};
const revokeToken: SmokeOperation = {
  operationId: 'revokeCurrentToken',
  method: 'DELETE',
  path: '/tokens/current',
  secured: true,
  requestBody: null,
  responses: {
    '204': null,
    '401': 'application/problem+json',
    '429': 'application/problem+json',
    '500': 'application/problem+json',
  },
};

type Event = {
  httpMethod: string;
  path: string;
  resource: string;
  body: string | null;
  headers: Record<string, string>;
  pathParameters: Record<string, string> | null;
  requestContext: { authorizer: Record<string, unknown> | null };
};

describe('operationSmokeRequest', () => {
  it('sends a safe method as the contract’s example and accepts any declared status below 500', () => {
    const request = operationSmokeRequest(getLocation, example());
    const event = request.event as Event;

    expect(request.expect).toEqual({ kind: 'proxy', statuses: [200, 400, 401, 403, 404, 429] });
    expect(event).toMatchObject({
      httpMethod: 'GET',
      resource: '/loc/{userId}',
      path: `/loc/${userId}`,
      pathParameters: { userId },
      body: null,
    });
    expect(event.headers['Authorization']).toBe(`Bearer ${SMOKE_TOKEN}`);
    expect(event.requestContext.authorizer).toMatchObject({
      principalId: SMOKE_PRINCIPAL.userId,
      userId: SMOKE_PRINCIPAL.userId,
    });
  });

  it('leaves an unsafe method’s required properties out, so validation refuses it with 400 before anything is written', () => {
    const request = operationSmokeRequest(
      putLocation,
      example({ body: { latitude: 52.5, longitude: 13.4, accuracy: 12.5 } }),
      ['latitude', 'longitude'],
    );
    const event = request.event as Event;

    expect(JSON.parse(event.body!)).toEqual({ accuracy: 12.5 });
    expect(event.headers['Content-Type']).toBe('application/json');
    expect(request.expect).toEqual({ kind: 'proxy', statuses: [400] });
    expect(request.name).toContain('without latitude, longitude');
  });

  it('sends an unsafe method without a body with a token nobody was issued and expects one of its own refusals', () => {
    const request = operationSmokeRequest(revokeToken, example({ pathParameters: {} }));

    expect(request.expect).toEqual({ kind: 'proxy', statuses: [401] });
    expect((request.event as Event).pathParameters).toBeNull();
  });

  it('refuses a contract without the examples it needs, saying what to add', () => {
    expect(() => operationSmokeRequest(getLocation, example({ missing: ['path userId'] }))).toThrow(
      new SmokeRequestError(
        "getLocation: the contract gives no example for path userId; add one (`example` on the parameter, its schema or the body's media type) so its deployment can be smoke-tested",
      ),
    );
  });

  it('refuses an unsafe body with nothing required to leave out: such a request could write', () => {
    expect(() =>
      operationSmokeRequest(putLocation, example({ body: { latitude: 1 } }), []),
    ).toThrow(/no required property to leave out/);
  });

  it('refuses an unsafe method without a body that declares no refusal', () => {
    const deleteAll: SmokeOperation = {
      ...revokeToken,
      operationId: 'deleteAll',
      responses: { '204': null, '429': null, '500': null },
    };
    expect(() => operationSmokeRequest(deleteAll, example())).toThrow(/declares no 4xx refusal/);
  });
});

describe('authorizerSmokeRequest', () => {
  it('presents a well-formed token placeholder and a method ARN the authorizer can parse', () => {
    const request = authorizerSmokeRequest();

    expect(request.expect).toEqual({ kind: 'unauthorized' });
    expect(request.event).toMatchObject({
      type: 'TOKEN',
      authorizationToken: `Bearer ${SMOKE_TOKEN}`,
    });
    expect((request.event as { methodArn: string }).methodArn).toMatch(
      /^arn:aws:execute-api:[^:]+:\d{12}:[^/]+\/[^/]+\/GET\/.+$/,
    );
  });
});
