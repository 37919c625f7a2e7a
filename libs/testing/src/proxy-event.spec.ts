import example from './fixtures/apigateway-rest-proxy-event.json';
import { buildProxyEvent } from './proxy-event';

const keysDeep = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, child]) => [
        `${prefix}${key}`,
        ...keysDeep(child, `${prefix}${key}.`),
      ])
    : [];

describe('buildProxyEvent', () => {
  it('keeps every field of the documented example event', () => {
    // Act
    const event = buildProxyEvent({
      method: 'GET',
      resource: '/loc/{userId}',
      pathParameters: { userId: 'u-1' },
    });

    // Assess
    const expected = keysDeep(example).filter(
      (key) => !key.startsWith('headers.') && !key.startsWith('multiValueHeaders.'),
    );
    expect(keysDeep(event)).toEqual(expect.arrayContaining(expected));
  });

  it('fills the path from the template, URL-encoding parameter values, and mirrors it in the request context', () => {
    // Act
    const event = buildProxyEvent({
      method: 'put',
      resource: '/profile/{userId}',
      pathParameters: { userId: 'a b/c' },
      requestId: 'req-1',
      requestTime: new Date('2026-11-27T10:15:30.123Z'),
    });

    // Assess
    expect(event).toMatchObject({
      resource: '/profile/{userId}',
      path: '/profile/a%20b%2Fc',
      httpMethod: 'PUT',
      pathParameters: { userId: 'a b/c' },
      requestContext: {
        resourcePath: '/profile/{userId}',
        path: '/prod/profile/a%20b%2Fc',
        httpMethod: 'PUT',
        requestId: 'req-1',
        requestTime: '27/Nov/2026:10:15:30 +0000',
        requestTimeEpoch: 1795774530123,
        stage: 'prod',
      },
    });
  });

  it('refuses a template whose path parameter was not given', () => {
    expect(() => buildProxyEvent({ method: 'GET', resource: '/loc/{userId}' })).toThrow(
      "no value for path parameter 'userId'",
    );
  });

  it('sends query parameters and headers in both single- and multi-value form, last value winning', () => {
    // Act
    const event = buildProxyEvent({
      method: 'GET',
      resource: '/loc/{userId}/history',
      pathParameters: { userId: 'u-1' },
      query: { limit: '5', tag: ['a', 'b'] },
      headers: { Authorization: 'Bearer abc', 'X-Multi': ['1', '2'] },
    });

    // Assess
    expect(event.queryStringParameters).toEqual({ limit: '5', tag: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ limit: ['5'], tag: ['a', 'b'] });
    expect(event.headers).toMatchObject({
      Authorization: 'Bearer abc',
      'X-Multi': '2',
      Host: example.headers.Host,
    });
    expect(event.multiValueHeaders).toMatchObject({ 'X-Multi': ['1', '2'] });
  });

  it('leaves query and path parameters null when there are none, as API Gateway does', () => {
    // Act
    const event = buildProxyEvent({ method: 'POST', resource: '/users' });

    // Assess
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.body).toBeNull();
  });

  it('JSON-encodes an object body and adds its content type', () => {
    // Act
    const event = buildProxyEvent({
      method: 'POST',
      resource: '/users',
      body: { username: 'ada' },
    });

    // Assess
    expect(event.body).toBe('{"username":"ada"}');
    expect(event.headers['Content-Type']).toBe('application/json');
  });

  it('keeps a string body and an explicit content type as given, and base64-encodes on request', () => {
    // Act
    const event = buildProxyEvent({
      method: 'POST',
      resource: '/users',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
      isBase64Encoded: true,
    });

    // Assess
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').toString('utf8')).toBe('hello');
    expect(event.headers['content-type']).toBe('text/plain');
    expect(event.headers).not.toHaveProperty('Content-Type');
  });

  it('puts the principal where the TOKEN authorizer puts it', () => {
    // Act
    const event = buildProxyEvent({
      method: 'GET',
      resource: '/loc/{userId}',
      pathParameters: { userId: 'u-1' },
      principal: { userId: 'u-1', username: 'ada' },
    });

    // Assess
    expect(event.requestContext.authorizer).toEqual({
      principalId: 'u-1',
      userId: 'u-1',
      username: 'ada',
      integrationLatency: 0,
    });
  });

  it('gives every event its own request id and never changes the fixture', () => {
    // Act
    const first = buildProxyEvent({
      method: 'GET',
      resource: '/users',
      headers: { 'X-Extra': '1' },
    });
    const second = buildProxyEvent({ method: 'GET', resource: '/users' });

    // Assess
    expect(first.requestContext.requestId).not.toBe(second.requestContext.requestId);
    expect(example.headers).not.toHaveProperty('X-Extra');
    expect(example.resource).toBe('/my/path');
  });
});
