import { defaultLabel, sameSpec } from './function-config';
import type { FunctionSpec } from './types';

const spec: FunctionSpec = {
  id: 'SmAuth/CreateUserFunction',
  functionName: 'SmAuth-CreateUser',
  codeDir: '/assets/a',
  handler: 'create-user.handler',
  runtime: 'nodejs22.x',
  environment: { TABLE: 'users', LEVEL: 'INFO' },
  timeoutSeconds: 3,
  memorySizeMB: 256,
  logGroupName: '/aws/lambda/SmAuth-CreateUser',
};

describe('defaultLabel', () => {
  it.each([
    ['SmAuth/CreateUserFunction', 'create-user.handler', 'auth:create-user'],
    ['Prod-SmLocation/GetLocationFunction', 'get-location.handler', 'location:get-location'],
    ['Staging-SmProfile/GetProfileFunction', 'nested/get-profile.handler', 'profile:get-profile'],
    ['FxItems/Items', 'index.handler', 'fxitems:index'],
  ])('labels %s (%s) as %s', (id, handler, label) => {
    expect(defaultLabel({ id, handler })).toBe(label);
  });
});

describe('sameSpec', () => {
  it('holds for the same code and configuration, whatever the order of the environment', () => {
    expect(sameSpec(spec, { ...spec, environment: { LEVEL: 'INFO', TABLE: 'users' } })).toBe(true);
  });

  it.each<[string, Partial<FunctionSpec>]>([
    ['code', { codeDir: '/assets/b' }],
    ['an environment value', { environment: { TABLE: 'users', LEVEL: 'DEBUG' } }],
    ['an added variable', { environment: { TABLE: 'users', LEVEL: 'INFO', NEW: '1' } }],
    ['memory', { memorySizeMB: 512 }],
    ['timeout', { timeoutSeconds: 5 }],
    ['a reservation', { reservedConcurrency: 5 }],
  ])('fails when %s differs', (_what, change) => {
    expect(sameSpec(spec, { ...spec, ...change })).toBe(false);
  });
});
