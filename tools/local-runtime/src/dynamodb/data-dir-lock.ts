import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE_NAME = 'local-runtime.lock';

/** Another live process (or this one) already owns the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly ownerStartedAt: string | undefined,
  ) {
    super(
      `The data directory ${dataDir} is in use by another local runtime (pid ${ownerPid}` +
        `${ownerStartedAt ? `, started ${ownerStartedAt}` : ''}). Stop that one first, ` +
        'or run this one with --in-memory. If no such process exists, delete ' +
        `${join(dataDir, LOCK_FILE_NAME)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

interface LockContent {
  pid: number;
  hostname?: string;
  startedAt?: string;
}

/** Directories this process holds: a second owner in the same process is refused too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(lockPath, 'utf8')) as LockContent;
    return typeof content.pid === 'number' ? content : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes this process the one owner of `dataDir` (LevelDB allows one writer): creates the lock file
 * exclusively, or takes over a lock whose process is gone (a crash or kill -9 leaves one behind).
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const lockPath = join(dir, LOCK_FILE_NAME);
  mkdirSync(dir, { recursive: true });
  if (heldHere.has(dir)) throw new DataDirLockedError(dir, process.pid, undefined);
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, JSON.stringify(content));
      } finally {
        closeSync(fd);
      }
      heldHere.add(dir);
      const onExit = (): void => release();
      process.once('exit', onExit);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.removeListener('exit', onExit);
        heldHere.delete(dir);
        // Remove it only if it is still ours.
        if (readOwner(lockPath)?.startedAt === content.startedAt) {
          try {
            unlinkSync(lockPath);
          } catch {
            // already gone
          }
        }
      };
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lockPath);
    // A lock from another host cannot be checked: respect it.
    if (owner && (owner.hostname !== hostname() || isAlive(owner.pid))) {
      throw new DataDirLockedError(dir, owner.pid, owner.startedAt);
    }
    // Stale (its process is gone) or unreadable: take it over.
    try {
      unlinkSync(lockPath);
    } catch {
      // someone else removed it first; try again
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}
