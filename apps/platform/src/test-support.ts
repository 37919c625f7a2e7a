import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SMOKE_HOOK_BUNDLE_DIR, SMOKE_HOOK_BUNDLE_FILE } from '@sm/deploy-hooks';
import { workspaceRoot } from '@sm/infra';
import { authLimits, locationLimits, profileLimits } from './services';

/**
 * The stacks deploy the bundles `nx run <svc>:build` writes to dist/apps/<svc> (and the smoke hook
 * bundle its dependency deploy-hooks:build writes to dist/libs/deploy-hooks); the `test` target
 * depends on those builds. When a test runs outside Nx and a bundle is missing, build them once.
 */
export function ensureBundles(): void {
  const root = workspaceRoot();
  const missing = [
    ...[authLimits, profileLimits, locationLimits].flatMap((limits) =>
      Object.keys(limits.functions).map((entry) => join(root, 'dist', 'apps', limits.service, `${entry}.js`)),
    ),
    // The deployment smoke hooks' bundle, which the services' builds depend on.
    join(root, SMOKE_HOOK_BUNDLE_DIR, SMOKE_HOOK_BUNDLE_FILE),
  ].filter((bundle) => !existsSync(bundle));
  if (missing.length === 0) return;
  console.log(`building the service bundles (missing: ${missing.map((m) => m.slice(root.length + 1)).join(', ')})`);
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'auth', 'profile', 'location', '--outputStyle=static'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' },
    timeout: 300_000,
  });
}
