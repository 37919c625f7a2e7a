import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { closedPortBaseUrl } from './support/fake-location-api';

const root = path.resolve(__dirname, '../../..');

/**
 * get-profile's location client is built on the first lookup, not at import: creating an
 * openapi-fetch client reads `globalThis.Request`, which makes Node load its whole fetch
 * implementation (undici, some 40-60 ms of CPU). That cost moves to the first call; the bench's
 * `first call` column shows it there. Checked in a fresh process, as Lambda loads the function.
 */
describe('get-profile cold start', () => {
  it("importing the function leaves Node's fetch unloaded; the first location lookup loads it", async () => {
    // Prepare
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_SERVICE_NAME: 'profile',
      POWERTOOLS_METRICS_NAMESPACE: 'Test',
      PROFILES_TABLE_NAME: 'profiles',
      LOCATION_API_URL: await closedPortBaseUrl(),
    };

    // Act
    const child = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        path.join(root, 'apps/profile/tsconfig.json'),
        path.join(__dirname, 'support/fetch-load-probe.ts'),
      ],
      { cwd: root, env, encoding: 'utf8', timeout: 60_000 },
    );

    // Assess
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? 'null')).toEqual({
      handler: 'function',
      beforeImport: false,
      afterImport: false,
      afterLookup: true,
      outcome: 'failed',
      reason: 'unreachable',
    });
  }, 60_000);
});
