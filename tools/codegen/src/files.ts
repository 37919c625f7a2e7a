import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GenerationResult } from './generate';

export interface StaleFile {
  readonly path: string;
  readonly reason: 'differs' | 'missing' | 'unexpected';
}

/** Files in a contract's generated directory that are not what generation produces. */
function unexpectedFiles(workspaceRoot: string, result: GenerationResult): string[] {
  const dir = path.join(workspaceRoot, result.contract.outDir);
  if (!existsSync(dir)) return [];
  const expected = new Set(result.files.map((f) => path.posix.basename(f.path)));
  return readdirSync(dir)
    .filter((name) => !expected.has(name))
    .sort()
    .map((name) => path.posix.join(result.contract.outDir, name));
}

/** Compares generated content with the files on disk; an empty list means up to date. */
export function findStaleFiles(workspaceRoot: string, result: GenerationResult): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const file of result.files) {
    const onDisk = path.join(workspaceRoot, file.path);
    if (!existsSync(onDisk)) stale.push({ path: file.path, reason: 'missing' });
    else if (readFileSync(onDisk, 'utf8') !== file.content)
      stale.push({ path: file.path, reason: 'differs' });
  }
  for (const extra of unexpectedFiles(workspaceRoot, result))
    stale.push({ path: extra, reason: 'unexpected' });
  return stale;
}

/**
 * Writes what changed and removes files generation no longer produces (the generated directory
 * belongs to the generator). Unchanged files are left alone, keeping their timestamps.
 */
export function writeResult(workspaceRoot: string, result: GenerationResult): StaleFile[] {
  const changed = findStaleFiles(workspaceRoot, result);
  mkdirSync(path.join(workspaceRoot, result.contract.outDir), { recursive: true });
  for (const entry of changed) {
    const target = path.join(workspaceRoot, entry.path);
    if (entry.reason === 'unexpected') {
      rmSync(target, { recursive: true, force: true });
      continue;
    }
    const file = result.files.find((f) => f.path === entry.path);
    if (file) writeFileSync(target, file.content);
  }
  return changed;
}
