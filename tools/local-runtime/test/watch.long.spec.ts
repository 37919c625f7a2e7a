/**
 * Watch mode end to end: `npm start -- --watch` in a scratch copy of the workspace (a git clone's
 * worth: sources, configuration, node_modules linked), the real stacks, and real file edits while
 * clients call it over HTTP — a handler edit, an edit that does not compile and its fix, a contract
 * edit, and an infrastructure edit that does not synthesize and its fix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './helpers';
import { startCli, type RunningCli } from '../fixtures/running-cli';
import { scratchClone } from '../fixtures/scratch-workspace';

jest.setTimeout(240_000);

let root: string;
let remove: () => void;
let cli: RunningCli;
let userId: string;
let auth: Record<string, string>;

/** Edits a file of the scratch workspace; returns the output offset to wait from. */
function edit(file: string, change: (source: string) => string): number {
  const mark = cli.output().length;
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, after);
  return mark;
}

/** Calls until `done` holds (or the time is up); returns the last reply and the time it took. */
async function until(
  request: () => Promise<{ status: number; headers: Headers }>,
  done: (reply: { status: number; headers: Headers }) => boolean,
  timeoutMs = 60_000,
) {
  const started = performance.now();
  for (;;) {
    const reply = await request();
    if (done(reply)) return { reply, ms: performance.now() - started };
    if (performance.now() - started > timeoutMs)
      throw new Error(`not done within ${timeoutMs} ms; last status ${reply.status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Clients reading their own location while `during` runs, about 40 requests/s in all (the stage
 * allows 50): every answer must be 200 and theirs. A 429 is the stage's throttle answering (a
 * reload starts the token buckets afresh), not a dropped request.
 */
async function keepReading(
  during: () => Promise<unknown>,
): Promise<{ answered: number; wrong: string[] }> {
  let stop = false;
  let answered = 0;
  const wrong: string[] = [];
  const client = async () => {
    while (!stop) {
      const reply = await call(cli.origin, `/loc/${userId}`, { headers: auth });
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (reply.status === 429) continue;
      answered++;
      if (reply.status !== 200 || reply.json()['userId'] !== userId)
        wrong.push(`${reply.status} ${reply.text.slice(0, 200)}`);
    }
  };
  const clients = Array.from({ length: 2 }, client);
  try {
    await during();
  } finally {
    stop = true;
    await Promise.all(clients);
  }
  return { answered, wrong };
}

const getLocation = () => call(cli.origin, `/loc/${userId}`, { headers: auth });
const HANDLER = 'apps/location/src/handlers/get-location.ts';

beforeAll(async () => {
  // A clone: committed, so the generated code is known to match its contracts.
  ({ root, remove } = scratchClone('watch', ['apps', 'libs', 'contracts', 'tools']));
  const started = performance.now();
  cli = await startCli(root, ['--port', '0', '--in-memory', '--quiet', '--watch'], {
    timeoutMs: 180_000,
  });
  console.log(
    `watch e2e: first start in the scratch workspace ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const json = { 'content-type': 'application/json' };
  const credentials = { username: 'watcher', password: 'correct horse battery' };
  const user = await call(cli.origin, '/users', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ ...credentials, displayName: 'Watcher' }),
  });
  userId = user.json()['userId'] as string;
  const token = await call(cli.origin, '/tokens', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(credentials),
  });
  auth = { authorization: `Bearer ${token.json()['token'] as string}`, ...json };
  const put = await call(cli.origin, `/loc/${userId}`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ latitude: 52.5, longitude: 13.4, accuracy: 5000 }),
  });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  if (cli) expect(await cli.stop()).toBe(0);
  remove?.();
});

it('runs an edited handler on the next request, without dropping the requests in flight', async () => {
  expect((await getLocation()).headers.get('x-dev-loop')).toBeNull();
  const mark = edit(HANDLER, (source) =>
    source.replace('status: 200,', "status: 200, headers: { 'x-dev-loop': 'v1' },"),
  );

  let swapMs = 0;
  const reads = await keepReading(async () => {
    ({ ms: swapMs } = await until(
      getLocation,
      (reply) => reply.headers.get('x-dev-loop') === 'v1',
    ));
  });

  const line = await cli.waitFor(
    /reload .*get-location\.ts → rebuilt location\/get-location \([\d.]+ s\); 1 function updated \(location:get-location\)/,
    { from: mark },
  );
  console.log(
    `watch e2e: handler edit → new code answering after ${swapMs.toFixed(0)} ms; ${line.trim()}`,
  );
  expect(reads.wrong).toEqual([]);
  expect(reads.answered).toBeGreaterThan(0);
});

it('keeps serving the last good version when an edit does not compile, prints the error once with file and line, and recovers on the next good save', async () => {
  // The broken statement goes on a line of its own at the end: its line number is known.
  let brokenLine = 0;
  const mark = edit(HANDLER, (source) => {
    brokenLine = source.split('\n').length + 1;
    return `${source}\nexport const broken = ;\n`;
  });
  await cli.waitFor(
    /reload failed: apps\/location\/src\/handlers\/get-location\.ts; the running system is unchanged/,
    { from: mark },
  );
  const error = await cli.waitFor(
    /apps\/location\/src\/handlers\/get-location\.ts:\d+:\d+: Unexpected ";"/,
    { from: mark },
  );
  expect(error).toContain(`get-location.ts:${brokenLine}:`);
  // The last good version answers.
  expect((await getLocation()).headers.get('x-dev-loop')).toBe('v1');

  // The same error again is one short line, not the whole message once more.
  const again = edit(HANDLER, (source) => `${source}\n// still broken\n`);
  await cli.waitFor(/reload failed again \(same error\)/, { from: again });
  expect(
    cli
      .output()
      .slice(mark)
      .match(/Unexpected ";"/g),
  ).toHaveLength(1);

  const fix = edit(HANDLER, (source) =>
    source
      .replace('\nexport const broken = ;\n', '\n')
      .replace("'x-dev-loop': 'v1'", "'x-dev-loop': 'v2'"),
  );
  await until(getLocation, (reply) => reply.headers.get('x-dev-loop') === 'v2');
  await cli.waitFor(
    /reload .*get-location\.ts → rebuilt location\/get-location \([\d.]+ s\); 1 function updated/,
    { from: fix },
  );
});

it('regenerates, rebuilds, re-synthesizes and swaps a contract change in, keeping the stored data and the requests in flight', async () => {
  const body = JSON.stringify({ latitude: 1, longitude: 2, accuracy: 5000 });
  const put = () => call(cli.origin, `/loc/${userId}`, { method: 'PUT', headers: auth, body });
  expect((await put()).status).toBe(200);
  const mark = edit('contracts/location/openapi.yaml', (source) =>
    source.replace('      maximum: 100000\n', '      maximum: 1000\n'),
  );

  let line = '';
  const reads = await keepReading(async () => {
    line = await cli.waitFor(
      /reload .*contracts\/location\/openapi\.yaml → regenerated contract-location, contract-profile \([\d.]+ s\); rebuilt .*; re-synthesized \d+ stacks .*functions updated, APIs swapped/,
      {
        from: mark,
        timeoutMs: 120_000,
      },
    );
  });

  console.log(`watch e2e: contract edit; ${line.trim()}`);
  expect(reads.wrong).toEqual([]);
  // One reload: the generated files it wrote itself did not start another.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const reloads = cli
    .output()
    .slice(mark)
    .split('\n')
    // (cdk.out catching up after the code-only reloads before may come in between.)
    .filter((line) => /local-runtime: reload/.test(line) && !line.includes('cdk.out caught up'));
  expect(reloads).toEqual([expect.stringContaining('contracts/location/openapi.yaml →')]);
  // API Gateway's model now refuses what the old contract allowed.
  const refused = await put();
  expect(refused.status).toBe(400);
  expect(refused.headers.get('content-type')).toBe('application/problem+json');
  // The data written before the reload is still there.
  const stored = await getLocation();
  expect(stored.status).toBe(200);
  expect(stored.json()).toMatchObject({ userId, latitude: 1, longitude: 2, accuracy: 5000 });
});

it('keeps serving when the infrastructure does not synthesize, says where, and recovers', async () => {
  const limits = 'apps/location/src/limits.ts';
  const mark = edit(limits, (source) =>
    source.replace(
      "'get-location': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 5,",
      "'get-location': { reservedConcurrency: 60, memoryMb: 512, timeoutSeconds: 40,",
    ),
  );
  await cli.waitFor(
    /reload failed: apps\/location\/src\/limits\.ts; the running system is unchanged/,
    { from: mark, timeoutMs: 120_000 },
  );
  const where = await cli.waitFor(/apps\/location\/src\/limits\.ts:\d+/, { from: mark });
  expect(cli.output().slice(mark)).toMatch(/timeoutSeconds must be a whole number from 1 to 28/);
  expect(where).toMatch(/limits\.ts:\d+/);
  expect((await getLocation()).status).toBe(200);

  const fix = edit(limits, (source) => source.replace('timeoutSeconds: 40,', 'timeoutSeconds: 6,'));
  // get-location and its pre-traffic smoke hook, whose timeout follows the function's (safe-deployment.ts).
  const line = await cli.waitFor(
    /reload .*limits\.ts → .*re-synthesized \d+ stacks .*2 functions updated/,
    { from: fix, timeoutMs: 120_000 },
  );
  expect(line).toMatch(/re-synthesized/);
  expect((await getLocation()).status).toBe(200);
});
