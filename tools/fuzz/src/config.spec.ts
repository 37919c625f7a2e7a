import { spawnSync } from 'node:child_process';
import type { FuzzContract } from './contracts';
import { renderConfig } from './config';

const contract: FuzzContract = {
  name: 'profile',
  title: 'Profile service',
  specPath: '/dev/null',
  operations: [
    { operationId: 'getProfile', method: 'GET', path: '/profile/{userId}' },
    { operationId: 'putProfile', method: 'PUT', path: '/profile/{userId}' },
  ],
};

/** Parses TOML with Python's standard library (3.11+), the reader schemathesis itself uses. */
function parseToml(text: string): Record<string, unknown> {
  const python = spawnSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (python.status !== 0) throw new Error(python.stderr);
  return JSON.parse(python.stdout) as Record<string, unknown>;
}

describe('renderConfig', () => {
  it('gives every operation its own rate limit and adds the acceptance overrides only where they apply', () => {
    const config = parseToml(renderConfig(contract, new Map([['getProfile', 20], ['putProfile', 16]])));
    expect(config['auth']).toEqual({ openapi: { bearerAuth: { bearer: '${FUZZ_TOKEN}' } } });
    expect(config['cache']).toEqual({ enabled: false });
    expect(config['generation']).toEqual({ database: 'none' });
    expect(config['operations']).toEqual([
      { 'include-operation-id': 'getProfile', 'rate-limit': '20/s' },
      {
        'include-operation-id': 'putProfile',
        'rate-limit': '16/s',
        checks: { positive_data_acceptance: { 'expected-statuses': ['2xx', '400', '401', '403', '404', '412', '429'] } },
      },
    ]);
  });

  it('writes no operation block for an operation with nothing to say', () => {
    const config = parseToml(renderConfig({ ...contract, operations: contract.operations.slice(0, 1) }, new Map()));
    expect(config['operations']).toBeUndefined();
  });
});
