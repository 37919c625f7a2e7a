import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { readAssembly, type LocalSystem } from '@sm/local-runtime';

export interface Target {
  baseUrl: string;
  /** The system as the cloud assembly describes it: where the limits come from. */
  system: LocalSystem;
  describe: string;
  close(): Promise<void>;
}

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 60_000;

/**
 * The system under load: the local runtime started from the cloud assembly (in memory) in a process
 * of its own, as `npm start` runs it, so the loader does not share its event loop; or a deployed
 * stage by URL. Either way the limits are read from the same synthesized templates.
 */
export async function openTarget(options: {
  url?: string;
  assemblyDir: string;
  verbose?: boolean;
}): Promise<Target> {
  const assemblyDir = resolve(options.assemblyDir);
  if (!existsSync(resolve(assemblyDir, 'manifest.json'))) {
    throw new Error(`No cloud assembly at ${assemblyDir}: run \`npm run synth\` first`);
  }
  if (options.url) {
    const baseUrl = options.url.endsWith('/') ? options.url : `${options.url}/`;
    const system = readAssembly(assemblyDir, { origin: baseUrl.replace(/\/$/, '') });
    return { baseUrl, system, describe: `deployed stage ${baseUrl}`, close: async () => undefined };
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    join(WORKSPACE_ROOT, 'node_modules/.bin/tsx'),
    [
      'tools/local-runtime/src/cli.ts',
      '--assembly',
      assemblyDir,
      '--in-memory',
      '--port',
      String(port),
      ...(options.verbose ? [] : ['--quiet']),
    ],
    { cwd: WORKSPACE_ROOT, stdio: options.verbose ? 'inherit' : ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitUntilReady(origin, child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return {
    baseUrl: `${origin}/`,
    system: readAssembly(assemblyDir, { origin }),
    describe: `local runtime ${origin} (its own process, from ${assemblyDir})`,
    close: () => stop(child),
  };
}

/** The runtime answers 503 while it starts and serves `/docs` once every API is up. */
async function waitUntilReady(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the local runtime exited with code ${child.exitCode} before it was ready`);
    const status = await fetch(`${origin}/docs`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the local runtime was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
