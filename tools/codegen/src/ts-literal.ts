/**
 * Prints a JSON-like value as a TypeScript literal: single quotes, unquoted identifier keys,
 * trailing commas, and a value kept on one line when it fits in 100 columns. The layout depends
 * only on the value, never on the machine.
 */
const maxWidth = 100;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function key(name: string): string {
  return identifier.test(name) ? name : quote(name);
}

function inline(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${key(k)}: ${inline(v)}`).join(', ')} }`;
  }
  throw new Error(`Cannot print ${typeof value} as a literal`);
}

/**
 * @param indent indentation of the lines the value may break into
 * @param column where the value starts on its first line, to decide whether it fits
 */
export function tsLiteral(value: unknown, indent = 0, column = indent): string {
  const flat = inline(value);
  if (column + flat.length <= maxWidth || value === null || typeof value !== 'object') return flat;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${pad}${tsLiteral(v, indent + 2)},\n`).join('')}${close}]`;
  }
  const lines = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const prefix = `${key(k)}: `;
    return `${pad}${prefix}${tsLiteral(v, indent + 2, indent + 2 + prefix.length)},\n`;
  });
  return `{\n${lines.join('')}${close}}`;
}
