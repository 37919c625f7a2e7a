import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES, workspaceRoot } from '@sm/infra';

const ROOT = workspaceRoot();
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const scripts = readJson('package.json').scripts as Record<string, string>;

describe.each(['auth', 'location', 'profile'])('the %s deploy target', (service) => {
  const target = readJson(`apps/${service}/project.json`).targets.deploy;
  const stackId = `Sm${service[0]!.toUpperCase()}${service.slice(1)}`;

  it.each(STAGES.map((s) => s.name))(
    'in %s: synthesizes, runs the preflight, then deploys that stage’s stack alone',
    (stage) => {
      expect(target.configurations[stage].commands).toEqual([
        'npx cdk synth --quiet',
        `npm run --silent preflight -- --stage ${stage}`,
        `npm run --silent deploy:stack -- --stage ${stage} --stack ${stackId}`,
      ]);
    },
  );

  it('runs its commands one after the other, defaults to prod, and names only scripts that exist', () => {
    expect(target.options.parallel).toBe(false);
    expect(target.defaultConfiguration).toBe('prod');
    expect(target.options.commands).toEqual(target.configurations.prod.commands);
    for (const command of target.options.commands as string[]) {
      const script = /^npm run --silent ([\w:-]+)/.exec(command)?.[1];
      if (script) expect({ script, exists: script in scripts }).toEqual({ script, exists: true });
    }
    expect(scripts['preflight']).toBe(
      'tsx --tsconfig tsconfig.base.json apps/platform/src/deploy/preflight-cli.ts',
    );
  });
});
