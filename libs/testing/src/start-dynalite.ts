import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
// dynalite ships no types. A local require keeps an ambient module declaration out of every
// program that imports this library (the local runtime declares its own).
const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;

/** A running embedded DynamoDB. */
export interface Dynalite {
  /** `http://127.0.0.1:<port>`, for `useLocalAwsEnv` / `createTables`. */
  readonly endpoint: string;
  /** Stops the server and drops its in-memory data. */
  stop(): Promise<void>;
}

/** Requests still open this long after stop() are cut, so a test run always ends. */
const STOP_GRACE_MS = 2000;

/**
 * Starts dynalite in memory over real HTTP on 127.0.0.1, on a port the OS picks (parallel test
 * files never collide). Tables are ACTIVE as soon as they are created.
 */
export const startDynalite = async (): Promise<Dynalite> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS).unref();
        server.close((error?: Error) => {
          clearTimeout(force);
          if (error) reject(error);
          else resolve();
        });
        // The SDK keeps connections alive; idle ones would hold close() open.
        server.closeIdleConnections();
      });
      return stopping;
    },
  };
};
