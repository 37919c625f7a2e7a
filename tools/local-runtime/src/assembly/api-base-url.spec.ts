import { localApiBaseUrl, parseExecuteApiPath, serviceOfStack } from './api-base-url';

describe('per-API base URLs', () => {
  it.each([
    [
      '/_aws/execute-api/abc123defg/prod/loc/u1',
      { apiId: 'abc123defg', stage: 'prod', path: '/loc/u1' },
    ],
    [
      '/_aws/execute-api/abc123defg/prod/loc/u1/',
      { apiId: 'abc123defg', stage: 'prod', path: '/loc/u1/' },
    ],
    ['/_aws/execute-api/abc123defg/staging/', { apiId: 'abc123defg', stage: 'staging', path: '/' }],
    ['/_aws/execute-api/abc123defg/staging', { apiId: 'abc123defg', stage: 'staging', path: '/' }],
  ])('splits %s into API id, stage and the path the API sees', (given, want) => {
    expect(parseExecuteApiPath(given)).toEqual(want);
  });

  it.each([
    '/loc/u1',
    '/_aws/execute-api/',
    '/_aws/execute-api/abc',
    '/_aws/execute-api/abc/',
    '/_aws/execute-api//prod/x',
    '/_aws/other/abc/prod',
  ])('does not take %s for a per-API path', (given) => {
    expect(parseExecuteApiPath(given)).toBeUndefined();
  });

  it('builds the base URL the parser reads back', () => {
    const base = localApiBaseUrl('http://127.0.0.1:4000', 'k3x9q0w2ab', 'prod');
    expect(base).toBe('http://127.0.0.1:4000/_aws/execute-api/k3x9q0w2ab/prod');
    expect(parseExecuteApiPath(`${new URL(base).pathname}/profile/u1`)).toEqual({
      apiId: 'k3x9q0w2ab',
      stage: 'prod',
      path: '/profile/u1',
    });
  });

  it.each([
    ['SmAuth', 'auth'],
    ['SmLocation', 'location'],
    ['FxItems', 'fxitems'],
    ['Small', 'small'],
  ])('names the service of stack %s %s', (stackId, service) => {
    expect(serviceOfStack(stackId)).toBe(service);
  });
});
