import {
  assertSupportedNode,
  MINIMUM_NODE_VERSION,
  unsupportedNodeReason,
} from './node-requirements';

describe('the Node.js the local runtime needs', () => {
  it('accepts the Node this repository pins', () => {
    expect(unsupportedNodeReason()).toBeUndefined();
    expect(() => assertSupportedNode()).not.toThrow();
  });

  it('refuses Node 20, naming what is missing and how to run the pinned Node instead', () => {
    // What Node 20 offers: no module.registerHooks, no module.enableCompileCache.
    const node20 = { version: 'v20.20.2' };

    expect(() => assertSupportedNode(node20)).toThrow(
      `The local runtime needs Node.js >= ${MINIMUM_NODE_VERSION} (module.registerHooks, module.enableCompileCache); this is v20.20.2. ` +
        'Run it through npm (`npm start`, `npm test`, `npx …`): the repository pins its own Node 22 (the `node` devDependency).',
    );
  });

  it('refuses a Node 22 older than 22.15, which has the compile cache but no module hooks', () => {
    expect(
      unsupportedNodeReason({ version: 'v22.12.0', enableCompileCache: () => undefined }),
    ).toContain('(module.registerHooks); this is v22.12.0');
  });
});
