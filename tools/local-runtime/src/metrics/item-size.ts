/**
 * An item's size as DynamoDB counts it for capacity ("Item sizes and formats"): the UTF-8 length
 * of every attribute name plus its value — strings in UTF-8 bytes, numbers about one byte per two
 * significant digits plus one, binary its length, null and booleans 1, lists and maps 3 bytes plus
 * 1 per element plus the elements, sets the sum of their members.
 */
export function itemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item))
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const [type, raw] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(raw), 'utf8');
    case 'N':
      return numberSize(String(raw));
    case 'B':
      return Buffer.from(String(raw), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (raw as string[]).reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS':
      return (raw as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (raw as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return (
        3 + (raw as unknown[]).reduce<number>((sum, element) => sum + 1 + valueSize(element), 0)
      );
    case 'M':
      return (
        3 +
        Object.entries(raw as Record<string, unknown>).reduce(
          (sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(element),
          0,
        )
      );
    default:
      return 0;
  }
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.max(1, Math.ceil(digits.length / 2) + 1);
}
