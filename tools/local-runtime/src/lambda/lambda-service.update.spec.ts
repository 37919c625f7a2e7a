/**
 * Updating and removing functions while they serve: what watch mode relies on when it swaps a
 * rebuilt bundle or a re-synthesized configuration into the running system.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaService } from './lambda-service';
import type { FunctionSpec, InvokeResult, LambdaService } from './types';

jest.setTimeout(30_000);

const fixtures = join(__dirname, '__fixtures__');
let root: string;
let lambda: LambdaService;

/** A directory holding version `n` of the versioned identity function. */
function version(n: number): string {
  const dir = join(root, `v${n}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixtures, 'identity.js'), join(dir, 'identity.js'));
  copyFileSync(join(fixtures, 'versioned.js'), join(dir, 'versioned.js'));
  writeFileSync(join(dir, 'version.json'), JSON.stringify({ version: n }));
  return dir;
}

function spec(extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    id: 'SmTest/VersionedFunction',
    functionName: 'SmTest-Versioned',
    codeDir: version(1),
    handler: 'versioned.handler',
    runtime: 'nodejs22.x',
    environment: { CONFIG_VERSION: '1' },
    timeoutSeconds: 3,
    memorySizeMB: 128,
    logGroupName: '/aws/lambda/SmTest-Versioned',
    ...extra,
  };
}

interface Answer {
  id: string;
  codeVersion: number;
  configVersion: number;
  threadId: number;
}

function answer(result: InvokeResult): Answer {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.payload as Answer;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'local-runtime-update-'));
  lambda = createLambdaService({ idleTimeoutMs: 0 });
});

afterEach(async () => {
  await lambda.close();
  rmSync(root, { recursive: true, force: true });
});

describe('LambdaService.update', () => {
  it('lets a call in flight finish on the old code and cold-starts the next call on the new code', async () => {
    const first = spec();
    lambda.register(first);
    const warm = answer(await lambda.invoke(first.id, { id: 'warm' }));

    const inFlight = lambda.invoke(first.id, { id: 'slow', do: 'sleep', ms: 300 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      lambda.update({ ...first, codeDir: version(2), environment: { CONFIG_VERSION: '2' } }),
    ).toBe(true);
    const after = await lambda.invoke(first.id, { id: 'after' });

    const slow = answer(await inFlight);
    expect(slow).toMatchObject({
      id: 'slow',
      codeVersion: 1,
      configVersion: 1,
      threadId: warm.threadId,
    });
    expect(answer(after)).toMatchObject({ id: 'after', codeVersion: 2, configVersion: 2 });
    expect(after.kind === 'ok' && after.coldStart).toBe(true);
    // The old environment went away once its call ended: one environment is left, the new one.
    expect(lambda.stats(first.id)).toMatchObject({ warm: 1, busy: 0, waiting: 0, coldStarts: 2 });
    expect(lambda.checkInvariants()).toEqual([]);
  });

  it('keeps the warm environments when the spec is unchanged', async () => {
    const first = spec();
    lambda.register(first);
    const before = answer(await lambda.invoke(first.id, { id: 'a' }));

    expect(lambda.update({ ...first, environment: { ...first.environment } })).toBe(false);
    const after = answer(await lambda.invoke(first.id, { id: 'b' }));

    expect(after.threadId).toBe(before.threadId);
    expect(lambda.stats(first.id).coldStarts).toBe(1);
  });

  it('applies a new configuration (environment, memory, timeout) to the next call', async () => {
    const first = spec();
    lambda.register(first);
    await lambda.invoke(first.id, { id: 'a' });

    lambda.update({ ...first, environment: { CONFIG_VERSION: '7' }, timeoutSeconds: 1 });
    const timedOut = await lambda.invoke(first.id, { id: 'b', do: 'sleep', ms: 1_500 });

    expect(timedOut.kind).toBe('timeout');
    expect(answer(await lambda.invoke(first.id, { id: 'c' })).configVersion).toBe(7);
  });

  it('refuses a reservation that leaves less than the unreserved minimum, and changes nothing', async () => {
    const small = createLambdaService({ accountConcurrency: 150, idleTimeoutMs: 0 });
    try {
      const first = spec({ reservedConcurrency: 10 });
      small.register(first);
      expect(() =>
        small.update({ ...first, reservedConcurrency: 60, environment: { CONFIG_VERSION: '2' } }),
      ).toThrow(/total reserved concurrency to 60, leaving 90 of the account's 150 unreserved/);
      expect(answer(await small.invoke(first.id, { id: 'a' })).configVersion).toBe(1);
      expect(small.update({ ...first, reservedConcurrency: 50 })).toBe(true);
      expect(small.checkInvariants()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('moves calls in flight with the function between reserved and unreserved concurrency', async () => {
    const first = spec();
    lambda.register(first);
    const calls = [1, 2, 3].map((n) =>
      lambda.invoke(first.id, { id: `s${n}`, do: 'sleep', ms: 200 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));

    lambda.update({ ...first, reservedConcurrency: 5, environment: { CONFIG_VERSION: '2' } });
    expect(lambda.checkInvariants()).toEqual([]);
    lambda.update({
      ...first,
      reservedConcurrency: undefined,
      environment: { CONFIG_VERSION: '3' },
    });
    expect(lambda.checkInvariants()).toEqual([]);

    for (const result of await Promise.all(calls)) expect(result.kind).toBe('ok');
    expect(lambda.checkInvariants()).toEqual([]);
  });
});

describe('LambdaService.remove', () => {
  it('answers the calls already on their way, releases the reservation, and comes back on register', async () => {
    const small = createLambdaService({ accountConcurrency: 150, idleTimeoutMs: 0 });
    try {
      const first = spec({ reservedConcurrency: 50 });
      small.register(first);
      const inFlight = small.invoke(first.id, { id: 'slow', do: 'sleep', ms: 200 });
      await new Promise((resolve) => setTimeout(resolve, 20));

      small.remove(first.id);
      // Its 50 are free again for another function.
      small.register({
        ...spec({ reservedConcurrency: 50 }),
        id: 'SmTest/Other',
        functionName: 'SmTest-Other',
      });
      expect(answer(await inFlight)).toMatchObject({ id: 'slow', codeVersion: 1 });
      expect(() => small.update(first)).toThrow(/No function SmTest\/VersionedFunction to update/);

      small.register({
        ...first,
        reservedConcurrency: undefined,
        environment: { CONFIG_VERSION: '4' },
      });
      expect(answer(await small.invoke(first.id, { id: 'back' })).configVersion).toBe(4);
      expect(small.checkInvariants()).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
