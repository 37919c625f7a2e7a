import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findContracts } from './contracts';

const workspaceRoot = resolve(__dirname, '../../..');

describe('findContracts', () => {
  it("finds every service contract's bundle and its operations (the API surface of issue 2)", () => {
    const contracts = findContracts(workspaceRoot);
    expect(contracts.map((c) => c.name)).toEqual(['auth', 'location', 'profile']);
    const operations = contracts.flatMap((c) => c.operations.map((o) => `${o.operationId} ${o.method} ${o.path}`)).sort();
    expect(operations).toEqual([
      'createToken POST /tokens',
      'createUser POST /users',
      'getLocation GET /loc/{userId}',
      'getProfile GET /profile/{userId}',
      'listLocationHistory GET /loc/{userId}/history',
      'putLocation PUT /loc/{userId}',
      'putProfile PUT /profile/{userId}',
      'revokeCurrentToken DELETE /tokens/current',
    ]);
    expect(contracts.find((c) => c.name === 'profile')?.title).toBe('Profile service');
  });

  it('narrows to the named contracts and names an unknown one', () => {
    expect(findContracts(workspaceRoot, ['location']).map((c) => c.name)).toEqual(['location']);
    expect(() => findContracts(workspaceRoot, ['billing'])).toThrow('No bundled contract named billing; known: auth, location, profile');
  });

  it('skips contract directories without a bundle (shared components)', () => {
    const root = mkdtempSync(join(tmpdir(), 'fuzz-contracts-'));
    mkdirSync(join(root, 'contracts', 'common'), { recursive: true });
    mkdirSync(join(root, 'contracts', 'svc', 'src', 'generated'), { recursive: true });
    writeFileSync(
      join(root, 'contracts', 'svc', 'src', 'generated', 'openapi.json'),
      JSON.stringify({ info: { title: 'Svc' }, paths: { '/a': { get: { operationId: 'getA' }, parameters: [] } } }),
    );
    const contracts = findContracts(root);
    expect(contracts).toEqual([
      { name: 'svc', title: 'Svc', specPath: join(root, 'contracts', 'svc', 'src', 'generated', 'openapi.json'), operations: [{ operationId: 'getA', method: 'GET', path: '/a' }] },
    ]);
  });
});
