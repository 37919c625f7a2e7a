import { join } from 'node:path';
import { renderMarkdown } from '../src/markdown';
import { review, type ReviewResult } from '../src/review';
import { ScratchRepo } from './scratch-repo';

/**
 * The review of four pull requests against a scratch copy of this repository, each a real commit:
 *
 *   c0 (the workspace) ─ c1 infrastructure only ─ c2 compatible contract change ─┬─ c3 breaks profile
 *                                                                                └─ c4 breaks external clients only
 *
 * Everything is real: oasdiff, Nx's graph, the type checker finding profile's call, profile's own
 * typecheck, and for c1 `npm run synth` of both sides (the base in its own checkout, as the CLI
 * does it) and the template diff. Synthesizing costs about 15 s of CPU a side, so only the
 * infrastructure-only change, whose summary is about templates, is reviewed with them; the three
 * contract changes are reviewed with `infra: false` (their deploy plan lists the projects only),
 * and only two of them run profile's typecheck (one passes, one fails).
 */
jest.setTimeout(240_000);

let repo: ScratchRepo;
const log: string[] = [];

/** Reviews the checked-out commit of the scratch repository against `base`. */
async function reviewHead(base: string, options: { infra: boolean; consumerTargets?: string[] }) {
  const result = await review({
    root: repo.root,
    base,
    consumerTargets: options.consumerTargets ?? [],
    infra: options.infra,
    log: (line) => log.push(line),
  });
  return { result, markdown: renderMarkdown(result) };
}

/** The stacks of a service in every stage (`SmLocation`, or `Prod/SmLocation` and `Staging/SmLocation`). */
const ofService = (id: string, stack: string) => id === stack || id.endsWith(`/${stack}`);

function changedStacks(result: ReviewResult): string[] {
  if (!('stacks' in result.infrastructure)) throw new Error('no infrastructure diff');
  return result.infrastructure.stacks.filter((s) => s.status !== 'unchanged').map((s) => s.id);
}

function stackDiff(result: ReviewResult, service: string) {
  if (!('stacks' in result.infrastructure)) throw new Error('no infrastructure diff');
  const stack = result.infrastructure.stacks.find(
    (s) => ofService(s.id, service) && (!s.stage || /^prod/i.test(s.stage)),
  );
  if (!stack) throw new Error(`no ${service} stack in the diff`);
  return stack;
}

let c0: string;
let c2: string;

const nxCacheDirectory = process.env['NX_CACHE_DIRECTORY'];

beforeAll(() => {
  repo = new ScratchRepo();
  c0 = repo.git('rev-parse', 'HEAD').trim();
  // npm test points Nx at this workspace's cache; the scratch repository is another workspace.
  process.env['NX_CACHE_DIRECTORY'] = join(repo.root, '.nx', 'cache');
});

afterAll(() => {
  if (nxCacheDirectory === undefined) delete process.env['NX_CACHE_DIRECTORY'];
  else process.env['NX_CACHE_DIRECTORY'] = nxCacheDirectory;
  repo?.remove();
});

describe('npm run review on real pull requests', () => {
  it('an infrastructure-only change: no contract change, location alone deploys, IAM broadening and the memory change called out', async () => {
    repo.edit(
      'apps/location/src/infra/location-stack.ts',
      "locations.grant(getLocation, 'GetItem');",
      "locations.grant(getLocation, 'GetItem', 'PutItem');",
    );
    repo.edit(
      'apps/location/src/limits.ts',
      "'get-location': { reservedConcurrency: 60, memoryMb: 512,",
      "'get-location': { reservedConcurrency: 60, memoryMb: 1024,",
    );
    repo.commit('location: get-location may write, and gets more memory');

    const { result, markdown } = await reviewHead(c0, { infra: true });

    expect(result.contracts.contracts.map((c) => c.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(result.operations).toEqual([]);
    expect(result.consumers).toEqual([]);
    expect(result.deployPlan.projects).toEqual(['location']);
    for (const stage of result.deployPlan.stages) {
      expect(stage.stacks.map((s) => [ofService(s.id, 'SmLocation'), s.project])).toEqual(
        stage.stacks.map(() => [true, 'location']),
      );
      expect(stage.stacks.length).toBeGreaterThan(0);
    }
    expect(changedStacks(result).every((id) => ofService(id, 'SmLocation'))).toBe(true);
    const location = stackDiff(result, 'SmLocation');
    expect(location.changes.iam.broadened).toBe(true);
    expect(location.changes.iam.statements).toContainEqual(
      expect.objectContaining({
        change: 'added',
        effect: 'Allow',
        actions: expect.stringContaining('dynamodb:PutItem'),
      }),
    );
    expect(location.changes.resources).toContainEqual(
      expect.objectContaining({
        action: 'update',
        type: 'AWS::Lambda::Function',
        properties: [{ name: 'MemorySize', impact: 'update' }],
      }),
    );
    expect(result.verdict).toEqual({ ok: true, reasons: [], warnings: [] });
    expect(markdown).toContain('## Pull-request review: ✅ passes');
    expect(markdown).toMatch(/🔐 IAM statement added: Allow `[^`]*dynamodb:PutItem/);
    expect(markdown).toMatch(/`GetLocation\/Function` \| `AWS::Lambda::Function` \| MemorySize/);
  });

  it('a compatible contract change: non-breaking, profile named as its caller, profile typechecks, location and profile deploy', async () => {
    repo.edit(
      'contracts/location/openapi.yaml',
      "      properties:\n        userId:\n          $ref: '../common/components.yaml#/components/schemas/UserId'\n        latitude:",
      "      properties:\n        altitude:\n          type: number\n          description: Metres above sea level.\n        userId:\n          $ref: '../common/components.yaml#/components/schemas/UserId'\n        latitude:",
    );
    c2 = repo.commit('location contract: an optional altitude in Location');

    const { result, markdown } = await reviewHead(repo.git('rev-parse', 'HEAD~1').trim(), {
      infra: false,
      consumerTargets: ['typecheck'],
    });

    const location = result.contracts.contracts.find(
      (c) => c.path === 'contracts/location/openapi.yaml',
    );
    expect(location).toMatchObject({ status: 'changed', unmarkedBreaking: 0 });
    expect(location?.changes).toContainEqual(
      expect.objectContaining({
        class: 'non-breaking',
        code: 'response-optional-property-added',
        jsonPath: '/altitude',
        operation: expect.objectContaining({
          method: 'GET',
          path: '/loc/{userId}',
          operationId: 'getLocation',
        }),
      }),
    );
    const getLocation = result.operations.find(
      (o) => o.method === 'GET' && o.path === '/loc/{userId}',
    );
    expect(getLocation?.callers.map((c) => [c.project, c.file])).toEqual([
      ['profile', 'apps/profile/src/clients/location-lookup.ts'],
    ]);
    expect(
      result.consumers.map((c) => [c.project, c.checks.map((k) => [k.target, k.status])]),
    ).toEqual([['profile', [['typecheck', 'passed']]]]);
    // The provider and its consumer deploy (Nx's graph); without a synth there are no stacks to name.
    expect([...result.deployPlan.projects].sort()).toEqual(['location', 'profile']);
    expect(result.infrastructure).toEqual({ skipped: 'not asked for (--no-infra)' });
    expect(result.verdict).toEqual({ ok: true, reasons: [], warnings: [] });
    expect(markdown).toMatch(
      /\| non-breaking \| `GET \/loc\/\{userId\}` getLocation \| `response 200 › \/altitude`.*\| profile \|/,
    );
    expect(markdown).toMatch(
      /\| profile \| `GET \/loc\/\{userId\}` at `apps\/profile\/src\/clients\/location-lookup.ts:\d+` \| ✅ passed/,
    );
    expect(markdown).toContain('`nx affected -t deploy` deploys **');
    expect(markdown).toContain('Skipped: not asked for (--no-infra).');
  });

  it('a consumer-breaking change: breaking, "breaks profile", profile fails to typecheck against the new client, exit 1', async () => {
    repo.edit(
      'contracts/location/openapi.yaml',
      'required: [userId, latitude, longitude, updatedAt]',
      'required: [userId, latitude, longitude]',
    );
    repo.edit(
      'contracts/location/openapi.yaml',
      "        updatedAt:\n          $ref: '../common/components.yaml#/components/schemas/Timestamp'\n    LocationHistoryPage:",
      '    LocationHistoryPage:',
    );
    repo.commit('location contract: Location loses updatedAt');

    const { result, markdown } = await reviewHead(c2, {
      infra: false,
      consumerTargets: ['typecheck'],
    });

    const getLocation = result.operations.find(
      (o) => o.method === 'GET' && o.path === '/loc/{userId}',
    );
    expect(getLocation).toMatchObject({ breaking: true });
    expect(getLocation?.changes).toContainEqual(
      expect.objectContaining({
        class: 'breaking',
        code: 'response-required-property-removed',
        jsonPath: '/updatedAt',
      }),
    );
    expect(getLocation?.callers.map((c) => c.project)).toEqual(['profile']);
    const typecheck = result.consumers
      .find((c) => c.project === 'profile')
      ?.checks.find((k) => k.target === 'typecheck');
    expect(typecheck?.status).toBe('failed');
    expect(typecheck?.output).toContain('updatedAt');
    expect(result.verdict.ok).toBe(false);
    expect(result.verdict.reasons).toEqual([
      expect.stringMatching(
        /^\d+ breaking contract change\(s\) without a major info.version bump$/,
      ),
      'consumer check(s) failed: profile:typecheck',
    ]);
    expect(markdown).toContain('## Pull-request review: ❌ 2 problems');
    expect(markdown).toMatch(
      /\| \*\*breaking\*\* \| `GET \/loc\/\{userId\}` getLocation \| `response 200 › \/updatedAt`.*\| \*\*breaks profile\*\* \|/,
    );
    expect(markdown).toContain('<details><summary>profile:typecheck failed');
  });

  it('a breaking change no service here calls: breaking for external clients only, exit 1', async () => {
    // -f: the review before regenerated the contract's client in the working tree.
    repo.git('checkout', '-q', '-f', '-b', 'external', c2);
    repo.edit('contracts/location/openapi.yaml', 'maximum: 100\n', 'maximum: 50\n');
    repo.commit('location contract: history pages of at most 50');

    const { result, markdown } = await reviewHead(c2, { infra: false });

    const history = result.operations.find((o) => o.path === '/loc/{userId}/history');
    expect(history).toMatchObject({
      method: 'GET',
      operationId: 'listLocationHistory',
      breaking: true,
      callers: [],
    });
    expect(history?.changes).toContainEqual(
      expect.objectContaining({
        code: 'request-parameter-max-decreased',
        location: 'GET /loc/{userId}/history › parameter query.limit',
      }),
    );
    // profile calls location, so it is listed as a consumer; it calls another operation, so this
    // change does not break it (its checks are not run here: the previous case ran them).
    expect(result.consumers.map((c) => [c.project, c.calls.map((call) => call.path)])).toEqual([
      ['profile', ['/loc/{userId}']],
    ]);
    expect(result.verdict.reasons).toEqual([
      '1 breaking contract change(s) without a major info.version bump',
    ]);
    expect(markdown).toMatch(
      /\| \*\*breaking\*\* \| `GET \/loc\/\{userId\}\/history` listLocationHistory \| `parameter query.limit`.*\| external clients only \|/,
    );
  });
});
