import type { LocalSystem } from '@sm/local-runtime';
import { apiRoutes } from './target';

type Api = LocalSystem['apis'][number];
const api = (stackId: string, routes: [string, string][]): Api =>
  ({
    stackId,
    methods: routes.map(([httpMethod, resourcePath]) => ({ httpMethod, resourcePath })),
  }) as unknown as Api;

describe('apiRoutes', () => {
  const system = {
    apis: [
      api('SmAuth', [
        ['POST', '/users'],
        ['POST', '/tokens'],
      ]),
      api('SmLocation', [['GET', '/loc/{userId}']]),
    ],
  };
  const urls = new Map([
    ['auth', 'https://aaaaaaaaaa.execute-api.eu-west-1.amazonaws.com/staging'],
    ['location', 'http://127.0.0.1:4000/_aws/execute-api/llllllllll/prod'],
  ]);

  it("sends each method to the base URL of the stack's API that serves it, stage path kept", () => {
    const routes = apiRoutes(system, urls);
    expect(routes.url('POST', '/users', '/users')).toBe(
      'https://aaaaaaaaaa.execute-api.eu-west-1.amazonaws.com/staging/users',
    );
    expect(routes.url('GET', '/loc/{userId}', '/loc/u1?x=1')).toBe(
      'http://127.0.0.1:4000/_aws/execute-api/llllllllll/prod/loc/u1?x=1',
    );
    expect(routes.baseUrl('GET', '/loc/{userId}')).toBe(urls.get('location'));
  });

  it('refuses a method no API serves, and a service without a URL', () => {
    expect(() => apiRoutes(system, urls).url('GET', '/nowhere', '/nowhere')).toThrow(
      'No API in the assembly serves GET /nowhere',
    );
    expect(() =>
      apiRoutes(system, new Map([['auth', 'https://a.example.com/prod']])).url(
        'GET',
        '/loc/{userId}',
        '/loc/u1',
      ),
    ).toThrow('No base URL for service location (GET /loc/{userId})');
  });
});
