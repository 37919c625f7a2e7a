import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { localDynamoClient } from './client';
import { dynalite } from './dynalite';
import type { LocalDynamo, LocalDynamoOptions } from './types';

/** Requests still open this long after close() are cut, so shutdown always ends. */
const CLOSE_GRACE_MS = 2000;

/**
 * Starts dynalite (DynamoDB's API over real HTTP on LevelDB) in this process. Tables change state
 * instantly (`createTableMs: 0` …), so the runtime is ready as soon as `ensureTables` returns.
 * With a `dataDir` the data persists and this process owns the directory until `close()`.
 */
export async function startLocalDynamo(options: LocalDynamoOptions): Promise<LocalDynamo> {
  const inMemory = options.inMemory ?? false;
  if (!inMemory && !options.dataDir) {
    throw new Error('startLocalDynamo needs a dataDir to persist data, or inMemory: true');
  }
  const dataDir = inMemory ? undefined : resolve(options.dataDir as string);
  const host = options.host ?? '127.0.0.1';
  const lock: DataDirLock | undefined = dataDir ? lockDataDir(dataDir) : undefined;

  const server = dynalite({
    path: dataDir ? join(dataDir, 'leveldb') : undefined,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolveClose, rejectClose) => {
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      // dynalite's close stops the HTTP server, waits for pending operations, then closes LevelDB.
      server.close((error?: Error) => {
        clearTimeout(force);
        lock?.release();
        if (error) rejectClose(error);
        else resolveClose();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(options.port ?? 0, host, () => {
        server.removeListener('error', rejectListen);
        resolveListen();
      });
    });
  } catch (error) {
    lock?.release();
    throw new Error(
      `dynalite could not listen on ${host}:${options.port ?? 0}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }

  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;

  // LevelDB opens lazily: one request proves the store is usable before anyone relies on it.
  const client = localDynamoClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
  } catch (error) {
    await close().catch(() => undefined);
    throw new Error(
      `The local DynamoDB store${dataDir ? ` in ${dataDir}` : ''} could not be opened: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    client.destroy();
  }

  const handle = server.listeners('request')[0] as LocalDynamo['handle'];
  return { endpoint, port, dataDir, handle, close };
}
