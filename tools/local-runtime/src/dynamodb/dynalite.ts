import type { Server } from 'node:http';
import { createRequire } from 'node:module';

/** The part of dynalite's options the local runtime uses. */
export interface DynaliteOptions {
  /** LevelDB directory; in memory when absent. */
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  maxItemSizeKb?: number;
  verbose?: boolean;
  debug?: boolean;
}

/**
 * dynalite 4 ships no types. Typing it here, rather than in an ambient `declare module`, keeps
 * the types with the code for every project that imports the local runtime, whatever its
 * tsconfig includes.
 */
export const dynalite = createRequire(__filename)('dynalite') as (
  options?: DynaliteOptions,
) => Server;
