import type { LocalSystem } from '@sm/local-runtime';
import type { FuzzContract } from './contracts';
import { fuzzRates, UNTHROTTLED_RATE } from './limits';

type Api = LocalSystem['apis'][number];

function api(methods: [string, string][], stageDefault?: { rateLimit: number; burstLimit: number }, perMethod: [string, { rateLimit: number; burstLimit: number }][] = []): Api {
  return {
    methods: methods.map(([httpMethod, resourcePath]) => ({ httpMethod, resourcePath })),
    throttling: { stageDefault, perMethod: new Map(perMethod) },
  } as unknown as Api;
}

const contract: FuzzContract = {
  name: 'svc',
  title: 'Svc',
  specPath: '/dev/null',
  operations: [
    { operationId: 'getItem', method: 'GET', path: '/items/{id}' },
    { operationId: 'putItem', method: 'PUT', path: '/items/{id}' },
  ],
};

describe('fuzzRates', () => {
  it("runs each operation at 80 % of its method's limit: the stage default or the method's own setting", () => {
    const system = { apis: [api([['GET', '/items/{id}'], ['PUT', '/items/{id}']], { rateLimit: 50, burstLimit: 100 }, [['/items/{id} PUT', { rateLimit: 10, burstLimit: 10 }]])] };
    expect([...fuzzRates(system, contract)]).toEqual([
      ['getItem', 40],
      ['putItem', 8],
    ]);
  });

  it('stays under a burst smaller than the rate, and never drops to zero', () => {
    const system = { apis: [api([['GET', '/items/{id}'], ['PUT', '/items/{id}']], { rateLimit: 100, burstLimit: 5 }, [['/items/{id} PUT', { rateLimit: 1, burstLimit: 1 }]])] };
    expect(fuzzRates(system, contract).get('getItem')).toBe(4);
    expect(fuzzRates(system, contract).get('putItem')).toBe(1);
  });

  it('uses a modest default for a method the stage does not throttle; ANY methods serve every verb', () => {
    const system = { apis: [api([['ANY', '/items/{id}']])] };
    expect(fuzzRates(system, contract).get('putItem')).toBe(UNTHROTTLED_RATE);
  });

  it('names the operations the assembly does not serve', () => {
    const system = { apis: [api([['GET', '/items/{id}']], { rateLimit: 10, burstLimit: 10 })] };
    expect(() => fuzzRates(system, contract)).toThrow('The cloud assembly serves no PUT /items/{id} of the svc contract');
  });
});
