import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readAssembly, startRuntime, type LocalSystem } from '@sm/local-runtime';

export interface Target {
  baseUrl: string;
  /** The system as the cloud assembly describes it: where the limits come from. */
  system: LocalSystem;
  describe: string;
  close(): Promise<void>;
}

/**
 * The system under load: the local runtime started from the cloud assembly (in memory, quiet), or a
 * deployed stage by URL. Either way the limits are read from the same synthesized templates.
 */
export async function openTarget(options: { url?: string; assemblyDir: string }): Promise<Target> {
  const assemblyDir = resolve(options.assemblyDir);
  if (!existsSync(resolve(assemblyDir, 'manifest.json'))) {
    throw new Error(`No cloud assembly at ${assemblyDir}: run \`npm run synth\` first`);
  }
  if (options.url) {
    const baseUrl = options.url.endsWith('/') ? options.url : `${options.url}/`;
    const system = readAssembly(assemblyDir, { origin: baseUrl.replace(/\/$/, '') });
    return { baseUrl, system, describe: `deployed stage ${baseUrl}`, close: async () => undefined };
  }
  const runtime = await startRuntime({ assemblyDir, port: 0, inMemory: true, quiet: true, log: () => undefined });
  return {
    baseUrl: `${runtime.origin}/`,
    system: runtime.system,
    describe: `local runtime ${runtime.origin} (from ${assemblyDir})`,
    close: () => runtime.close(),
  };
}
