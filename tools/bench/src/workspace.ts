import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Lambda function of a service, as built by `nx run <service>:build`. */
export interface FunctionBundle {
  readonly service: string;
  /** Handler file name without extension, e.g. `create-user`. */
  readonly name: string;
  /** `dist/apps/<service>/<name>.js`, absolute. */
  readonly bundlePath: string;
}

/** The esbuild settings every service bundle is built with, read from a service's build target. */
export interface ServiceBuildOptions {
  readonly platform: 'node';
  readonly target: string;
  readonly format: 'cjs' | 'esm';
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly legalComments?: 'none' | 'inline' | 'eof' | 'linked' | 'external';
  /** Package.json fields esbuild resolves by; `module` first picks the SDK's tree-shakable ESM. */
  readonly mainFields?: readonly string[];
}

const handlerNames = (root: string, service: string): string[] => {
  const dir = join(root, 'apps', service, 'src', 'handlers');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /^[a-z0-9-]+\.ts$/.test(entry.name) && !/\.(spec|test)\.ts$/.test(entry.name))
    .map((entry) => entry.name.replace(/\.ts$/, ''))
    .sort();
};

/**
 * Every service under `apps/` that has handlers (`apps/<svc>/src/handlers/<fn>.ts`, one Lambda
 * function each, by the team's naming rule). New services and functions are picked up as they land.
 */
export const discoverServices = (root: string): Map<string, FunctionBundle[]> => {
  const services = new Map<string, FunctionBundle[]>();
  for (const entry of readdirSync(join(root, 'apps'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const names = handlerNames(root, entry.name);
    if (names.length === 0) continue;
    services.set(
      entry.name,
      names.map((name) => ({ service: entry.name, name, bundlePath: join(root, 'dist', 'apps', entry.name, `${name}.js`) })),
    );
  }
  return services;
};

interface ProjectJson {
  targets?: { build?: { options?: Record<string, unknown> } };
}

/**
 * The esbuild options of a service's `build` target, so the reference bundles are built exactly
 * like the services (node22, cjs, minified) and stay so if the services' settings change.
 */
export const readBuildOptions = (root: string, service: string): ServiceBuildOptions => {
  const project = JSON.parse(readFileSync(join(root, 'apps', service, 'project.json'), 'utf8')) as ProjectJson;
  const options = project.targets?.build?.options ?? {};
  const format = Array.isArray(options.format) ? options.format[0] : options.format;
  const extra = (options.esbuildOptions ?? {}) as Pick<ServiceBuildOptions, 'legalComments' | 'mainFields'>;
  return {
    platform: 'node',
    target: typeof options.target === 'string' ? options.target : 'node22',
    format: format === 'esm' ? 'esm' : 'cjs',
    minify: options.minify !== false,
    sourcemap: options.sourcemap === true,
    ...(extra.legalComments === undefined ? {} : { legalComments: extra.legalComments }),
    ...(extra.mainFields === undefined ? {} : { mainFields: [...extra.mainFields] }),
  };
};
