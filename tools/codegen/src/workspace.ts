import path from 'node:path';

/**
 * The workspace this generator belongs to: where its dependencies (ajv, ajv-formats) resolve
 * from when validators are bundled. Contracts may be read from another root (tests use a copy).
 */
export const toolWorkspaceRoot = path.resolve(__dirname, '../../..');

/** A workspace-relative path with forward slashes, identical on every machine. */
export function relativePosix(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
