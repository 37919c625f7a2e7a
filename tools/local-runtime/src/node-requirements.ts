import nodeModule from 'node:module';

/**
 * The oldest Node.js the local runtime works on: its execution environments resolve modules as
 * Lambda does through `module.registerHooks` (22.15; worker/bootstrap.cjs), and `--compile-cache`
 * uses `module.enableCompileCache` (22.1). On an older Node both would quietly do nothing: bundles
 * would find the workspace's node_modules and hide bundling mistakes that fail in AWS.
 */
export const MINIMUM_NODE_VERSION = '22.15.0';

interface NodeFeatures {
  /** `process.version`, e.g. `v22.23.3`. */
  version: string;
  registerHooks?: unknown;
  enableCompileCache?: unknown;
}

/** Why this Node cannot run the local runtime, or undefined when it can. */
export function unsupportedNodeReason(
  node: NodeFeatures = {
    version: process.version,
    registerHooks: (nodeModule as { registerHooks?: unknown }).registerHooks,
    enableCompileCache: (nodeModule as { enableCompileCache?: unknown }).enableCompileCache,
  },
): string | undefined {
  const missing = [
    typeof node.registerHooks === 'function' ? undefined : 'module.registerHooks',
    typeof node.enableCompileCache === 'function' ? undefined : 'module.enableCompileCache',
  ].filter((name) => name !== undefined);
  if (missing.length === 0) return undefined;
  return (
    `The local runtime needs Node.js >= ${MINIMUM_NODE_VERSION} (${missing.join(', ')}); this is ${node.version}. ` +
    'Run it through npm (`npm start`, `npm test`, `npx …`): the repository pins its own Node 22 (the `node` devDependency).'
  );
}

/** Throws `unsupportedNodeReason` when there is one. */
export function assertSupportedNode(node?: NodeFeatures): void {
  const reason = unsupportedNodeReason(node);
  if (reason) throw new Error(reason);
}
