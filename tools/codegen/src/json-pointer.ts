/** RFC 6901 JSON pointers, the way `$ref`s and validation errors address a value. */

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Joins tokens into a pointer: `['properties', 'a/b']` → `/properties/a~1b`. */
export function toPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

/** Splits a pointer (with or without a leading `#`) into unescaped tokens. */
export function parsePointer(pointer: string): string[] {
  const bare = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (bare === '') return [];
  if (!bare.startsWith('/')) throw new Error(`Not a JSON pointer: "${pointer}"`);
  return bare
    .slice(1)
    .split('/')
    .map((t) => unescapeToken(decodeURIComponent(t)));
}

/** Resolves a pointer inside a document, failing with the pointer when a token is missing. */
export function resolvePointer(document: unknown, pointer: string, where: string): unknown {
  let node: unknown = document;
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !(token in node)) {
      throw new Error(`${where}: "${pointer}" does not resolve (no "${token}")`);
    }
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
