/**
 * `npm start` as a developer runs it: the CLI in its own process, its banner, data that survives a
 * restart, `--in-memory` leaving nothing behind, and a clean exit on SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { call, fixtureAssembly, tempDir } from './helpers';

jest.setTimeout(90_000);

const CLI = resolve(__dirname, '../src/cli.ts');
// tsx's loader by absolute URL: the CLI runs in temporary directories outside the workspace.
const TSX = pathToFileURL(resolve(__dirname, '../../../node_modules/tsx/dist/loader.mjs')).href;

interface Started {
  child: ChildProcessWithoutNullStreams;
  origin: string;
  banner: string;
  exited: Promise<number | null>;
}

/** Starts the CLI in `cwd` and resolves once its ready banner is out. */
function startCli(cwd: string, args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, '--port', '0', '--quiet', ...args], { cwd, env: process.env });
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  let output = '';
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => rejectStart(new Error(`no ready banner within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const docs = /docs {2}(http:\/\/127\.0\.0\.1:\d+)\/docs/.exec(output);
      if (docs && output.includes('Ctrl-C stops cleanly.')) {
        clearTimeout(timer);
        resolveStart({ child, origin: docs[1]!, banner: output, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => rejectStart(new Error(`CLI exited with ${code} before it was ready:\n${output}`)));
  });
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

let assemblyDir: string;
beforeAll(async () => {
  assemblyDir = await fixtureAssembly();
});

it('prints a ready banner with every route, the docs page, data and log locations and the time to ready', async () => {
  const cwd = tempDir('banner');
  const started = await startCli(cwd, ['--assembly', assemblyDir]);
  try {
    for (const route of ['GET   ', '/items/{id}', '/private/{proxy+}  (authorizer)', '/consumer/items/{id}', '/notes/{id}']) {
      expect(started.banner).toContain(route);
    }
    expect(started.banner).toContain(`${started.origin}/items/{id}`);
    // Each API's own base URL, listed with its service, stack and stage, and answering.
    const itemsBase = new RegExp(`fxitems\\s+(${started.origin}/_aws/execute-api/[a-z0-9]{10}/prod)  \\(FxItems, stage prod\\)`).exec(started.banner)?.[1];
    expect(itemsBase).toBeDefined();
    expect(started.banner).toMatch(/fxconsumer\s+http:\/\/127\.0\.0\.1:\d+\/_aws\/execute-api\/[a-z0-9]{10}\/prod {2}\(FxConsumer, stage prod\)/);
    expect((await call(itemsBase!, '/items/7')).json()).toEqual({ id: '7' });
    expect(started.banner).toMatch(/Local runtime ready in \d+\.\d\d s — 7 functions, 1 tables, 2 APIs/);
    expect(started.banner).toContain('data  .local/data');
    expect(started.banner).toContain('logs  .local/logs');
    expect((await call(started.origin, '/docs')).status).toBe(200);
  } finally {
    expect(await stop(started)).toBe(0);
  }
});

it('keeps data across a restart, and writes function logs as JSON lines per log group', async () => {
  const cwd = tempDir('persist');
  const headers = { authorization: 'Bearer allow-ivy', 'content-type': 'application/json' };
  const first = await startCli(cwd, ['--assembly', assemblyDir]);
  try {
    const put = await call(first.origin, '/notes/kept', { method: 'PUT', headers, body: JSON.stringify({ text: 'still here' }) });
    expect(put.status).toBe(201);
  } finally {
    expect(await stop(first)).toBe(0);
  }
  const logs = readdirSync(join(cwd, '.local', 'logs'));
  expect(logs.some((file) => file.includes('FxItems-NotesFn') && file.endsWith('.jsonl'))).toBe(true);

  const second = await startCli(cwd, ['--assembly', assemblyDir]);
  try {
    const get = await call(second.origin, '/notes/kept', { headers });
    expect(get.status).toBe(200);
    expect(get.json()).toEqual({ id: 'kept', text: 'still here' });
  } finally {
    expect(await stop(second)).toBe(0);
  }
});

it('leaves nothing on disk with --in-memory', async () => {
  const cwd = tempDir('memory');
  const started = await startCli(cwd, ['--assembly', assemblyDir, '--in-memory']);
  try {
    expect(started.banner).toContain('data  in memory (nothing on disk)');
    const put = await call(started.origin, '/notes/gone', {
      method: 'PUT',
      headers: { authorization: 'Bearer allow-jo', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'forgotten' }),
    });
    expect(put.status).toBe(201);
  } finally {
    expect(await stop(started)).toBe(0);
  }
  expect(existsSync(join(cwd, '.local'))).toBe(false);
  expect(readdirSync(cwd)).toEqual([]);
});

it('refuses to start on an assembly that does not exist, naming it', async () => {
  const cwd = tempDir('missing');
  const child = spawn(process.execPath, ['--import', TSX, CLI, '--assembly', join(cwd, 'nope'), '--port', '0', '--in-memory'], { cwd });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  expect(code).toBe(1);
  expect(output).toContain(`No cloud assembly at ${join(cwd, 'nope')}`);
});
