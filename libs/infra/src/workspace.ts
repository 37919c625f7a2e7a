import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Nx workspace root (the directory holding `nx.json`), found from this file's location so it
 * is the same whether the CDK CLI, tsx or Jest loads the code, whatever the working directory.
 */
export function workspaceRoot(start: string = __dirname): string {
  let dir = start;
  for (let depth = 0; depth < 50; depth += 1) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`no nx.json above ${start}: @sm/infra must run inside the workspace`);
}
