import type { ApiModel, MethodModel } from '../assembly';
import { RouteConflictError, Router } from './router';

function api(id: string, routes: [string, string][]): ApiModel {
  const model: ApiModel = {
    id,
    stackName: id,
    stackId: id,
    name: id,
    apiId: id.toLowerCase(),
    region: 'us-east-1',
    accountId: '123456789012',
    environment: {},
    stageName: 'prod',
    stageVariables: null,
    methods: [],
    authorizers: new Map(),
    gatewayResponses: new Map(),
    throttling: { perMethod: new Map() },
  };
  model.methods = routes.map(
    ([httpMethod, resourcePath]): MethodModel => ({
      apiId: model.apiId,
      resourceId: resourcePath,
      resourcePath,
      httpMethod,
      authorizationType: 'NONE',
      requestModels: new Map(),
      validateBody: false,
      validateParameters: false,
      requestParameters: {},
      integration: { type: 'AWS_PROXY', functionId: `${id}${resourcePath}`, timeoutMs: 29_000 },
    }),
  );
  return model;
}

describe('Router', () => {
  const loc = api('Loc', [
    ['GET', '/loc/{userId}'],
    ['PUT', '/loc/{userId}'],
    ['GET', '/loc/{userId}/history'],
    ['GET', '/loc/me'],
  ]);
  const files = api('Files', [['ANY', '/files/{proxy+}']]);
  const router = new Router([loc, files]);

  it('prefers a literal segment to a path parameter', () => {
    expect(router.match('GET', '/loc/me')?.method?.resourcePath).toBe('/loc/me');
    expect(router.match('GET', '/loc/u1')).toMatchObject({ method: { resourcePath: '/loc/{userId}' }, pathParameters: { userId: 'u1' } });
  });

  it('backtracks to the parameter when the literal branch has no match deeper down', () => {
    expect(router.match('GET', '/loc/me/history')).toMatchObject({ method: { resourcePath: '/loc/{userId}/history' }, pathParameters: { userId: 'me' } });
  });

  it('matches greedy paths of one or more segments and ANY for every method', () => {
    expect(router.match('DELETE', '/files/a/b%20c')).toMatchObject({ api: files, pathParameters: { proxy: 'a/b c' } });
    expect(router.match('GET', '/files')?.method).toBeUndefined();
  });

  it('ignores one trailing slash, and finds the resource without the method', () => {
    expect(router.match('PUT', '/loc/u1/')?.method?.httpMethod).toBe('PUT');
    expect(router.match('DELETE', '/loc/u1')).toMatchObject({ api: loc, method: undefined });
    expect(router.match('GET', '/nothing')).toBeUndefined();
  });

  it('refuses a path and method claimed by two APIs, naming both', () => {
    expect(() => new Router([loc, api('Other', [['GET', '/loc/{userId}']])])).toThrow(
      new RouteConflictError('GET /loc/{userId} is claimed by two APIs: Loc and Other'),
    );
  });

  it('refuses an API path under a path the runtime reserves', () => {
    expect(() => new Router([api('Docs', [['GET', '/docs/{page}']])], ['/docs'])).toThrow(/collides with the local runtime's own \/docs/);
  });
});
