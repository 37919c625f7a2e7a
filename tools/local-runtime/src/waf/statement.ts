import type { WafRequest, WafStatement } from './web-acl-model';

/**
 * Whether a request matches a WAF statement: the subset of AWS WAF's statements the local runtime
 * evaluates (`ByteMatchStatement` on the method, the URI path or one header; `And`, `Or`, `Not`).
 * {@link assertSupported} refuses any other statement when the assembly is read, so a rule is
 * either applied as AWS applies it or reported, never half-applied.
 */
export function matches(statement: WafStatement, request: WafRequest): boolean {
  const [kind, body] = Object.entries(statement)[0] as [string, Record<string, unknown>];
  switch (kind) {
    case 'AndStatement':
      return (body['Statements'] as WafStatement[]).every((s) => matches(s, request));
    case 'OrStatement':
      return (body['Statements'] as WafStatement[]).some((s) => matches(s, request));
    case 'NotStatement':
      return !matches(body['Statement'] as WafStatement, request);
    case 'ByteMatchStatement':
      return byteMatch(body, request);
    default:
      throw new Error(`WAF statement ${kind} is not evaluated locally`);
  }
}

const FIELDS = ['Method', 'UriPath', 'SingleHeader'] as const;
const CONSTRAINTS = ['EXACTLY', 'STARTS_WITH', 'ENDS_WITH', 'CONTAINS'] as const;
const TRANSFORMATIONS = ['NONE', 'LOWERCASE'] as const;

/** Throws naming the first part of the statement the local runtime cannot evaluate. */
export function assertSupported(statement: WafStatement, where: string): void {
  const entries = Object.entries(statement);
  if (entries.length !== 1) throw new Error(`${where}: a statement has exactly one kind`);
  const [kind, body] = entries[0] as [string, Record<string, unknown>];
  if (kind === 'AndStatement' || kind === 'OrStatement') {
    for (const [index, inner] of (body['Statements'] as WafStatement[]).entries()) assertSupported(inner, `${where}.${kind}.Statements[${index}]`);
    return;
  }
  if (kind === 'NotStatement') return assertSupported(body['Statement'] as WafStatement, `${where}.NotStatement`);
  if (kind !== 'ByteMatchStatement') throw new Error(`${where}: ${kind} is not evaluated locally (ByteMatchStatement, And, Or, Not are)`);
  const field = Object.keys(body['FieldToMatch'] as object)[0];
  if (!FIELDS.includes(field as never)) throw new Error(`${where}: FieldToMatch ${field} is not evaluated locally (${FIELDS.join(', ')} are)`);
  if (!CONSTRAINTS.includes(body['PositionalConstraint'] as never)) throw new Error(`${where}: PositionalConstraint ${String(body['PositionalConstraint'])} is not evaluated locally`);
  for (const t of (body['TextTransformations'] ?? []) as { Type: string }[]) {
    if (!TRANSFORMATIONS.includes(t.Type as never)) throw new Error(`${where}: text transformation ${t.Type} is not evaluated locally`);
  }
}

function byteMatch(body: Record<string, unknown>, request: WafRequest): boolean {
  const fieldToMatch = body['FieldToMatch'] as Record<string, { Name?: string }>;
  const field = Object.keys(fieldToMatch)[0];
  let value =
    field === 'Method' ? request.method : field === 'UriPath' ? request.uriPath : (request.headers[String(fieldToMatch['SingleHeader']?.Name).toLowerCase()] ?? '');
  const transformations = [...((body['TextTransformations'] ?? []) as { Priority: number; Type: string }[])].sort((a, b) => a.Priority - b.Priority);
  for (const { Type } of transformations) if (Type === 'LOWERCASE') value = value.toLowerCase();
  const search = String(body['SearchString']);
  switch (body['PositionalConstraint']) {
    case 'EXACTLY':
      return value === search;
    case 'STARTS_WITH':
      return value.startsWith(search);
    case 'ENDS_WITH':
      return value.endsWith(search);
    default:
      return value.includes(search);
  }
}
