import type { AuthorizerModel } from '../assembly';
import type { LambdaService } from '../lambda/types';
import type { GatewayError } from './gateway-responses';

/** The part of a TOKEN authorizer's answer API Gateway keeps: who, what they may call, and context. */
export interface AuthorizerVerdict {
  principalId: string;
  statements: PolicyStatement[];
  /** Context values, stringified as API Gateway passes them to the integration. */
  context: Record<string, string>;
}

interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: RegExp[];
  resources: RegExp[];
}

export type AuthorizationOutcome =
  | { ok: true; authorizer: Record<string, unknown> }
  | { ok: false; error: GatewayError };

const EXPLICIT_DENY = 'User is not authorized to access this resource with an explicit deny';

/**
 * API Gateway's TOKEN authorizer: identity source and validation expression checked before any
 * call; the Lambda called with `{ type: 'TOKEN', authorizationToken, methodArn }`; its policy cached
 * per token for the TTL and evaluated against each request's method ARN (so a cached policy that
 * covers one method may deny another).
 */
export class TokenAuthorizers {
  private readonly cache = new Map<string, { verdict: AuthorizerVerdict; expiresAt: number }>();

  constructor(private readonly lambda: LambdaService) {}

  async authorize(authorizer: AuthorizerModel, headers: Record<string, string | undefined>, methodArn: string): Promise<AuthorizationOutcome> {
    const token = headers[authorizer.identityHeader];
    if (token === undefined || token === '') return { ok: false, error: { type: 'UNAUTHORIZED' } };
    if (authorizer.validationExpression && !authorizer.validationExpression.test(token)) {
      return { ok: false, error: { type: 'UNAUTHORIZED' } };
    }
    const cacheKey = `${authorizer.authorizerId}\u0000${token}`;
    const now = Date.now();
    const cached = this.cache.get(cacheKey);
    let verdict: AuthorizerVerdict;
    let latencyMs = 0;
    if (cached && cached.expiresAt > now) {
      verdict = cached.verdict;
    } else {
      const started = performance.now();
      const result = await this.lambda.invoke(authorizer.functionId, { type: 'TOKEN', authorizationToken: token, methodArn }, authorizer.qualifier === undefined ? undefined : { qualifier: authorizer.qualifier });
      latencyMs = Math.round(performance.now() - started);
      if (result.kind === 'error' && result.errorMessage === 'Unauthorized') return { ok: false, error: { type: 'UNAUTHORIZED' } };
      if (result.kind !== 'ok') return { ok: false, error: { type: 'AUTHORIZER_CONFIGURATION_ERROR' } };
      const parsed = parseVerdict(result.payload);
      if (!parsed) return { ok: false, error: { type: 'AUTHORIZER_FAILURE' } };
      verdict = parsed;
      if (authorizer.ttlSeconds > 0) this.cache.set(cacheKey, { verdict, expiresAt: now + authorizer.ttlSeconds * 1000 });
    }
    const decision = evaluate(verdict.statements, methodArn);
    if (decision === 'Deny') return { ok: false, error: { type: 'ACCESS_DENIED', message: EXPLICIT_DENY } };
    if (decision !== 'Allow') return { ok: false, error: { type: 'ACCESS_DENIED' } };
    return { ok: true, authorizer: { ...verdict.context, principalId: verdict.principalId, integrationLatency: latencyMs } };
  }
}

/** Deny wins over Allow; no matching statement is an implicit deny. */
export function evaluate(statements: PolicyStatement[], methodArn: string): 'Allow' | 'Deny' | undefined {
  let decision: 'Allow' | undefined;
  for (const statement of statements) {
    if (!statement.actions.some((action) => action.test('execute-api:Invoke'))) continue;
    if (!statement.resources.some((resource) => resource.test(methodArn))) continue;
    if (statement.effect === 'Deny') return 'Deny';
    decision = 'Allow';
  }
  return decision;
}

/** Reads an authorizer's result; `undefined` when API Gateway would reject it as malformed. */
export function parseVerdict(payload: unknown): AuthorizerVerdict | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const { principalId, policyDocument, context } = payload as Record<string, unknown>;
  if (typeof principalId !== 'string' || !policyDocument || typeof policyDocument !== 'object') return undefined;
  const rawStatements = (policyDocument as { Statement?: unknown }).Statement;
  const list = Array.isArray(rawStatements) ? rawStatements : rawStatements ? [rawStatements] : [];
  const statements: PolicyStatement[] = [];
  for (const raw of list as Record<string, unknown>[]) {
    const effect = raw['Effect'];
    if (effect !== 'Allow' && effect !== 'Deny') return undefined;
    statements.push({ effect, actions: toPatterns(raw['Action'], 'i'), resources: toPatterns(raw['Resource'], '') });
  }
  const values: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object') return undefined;
    for (const [key, value] of Object.entries(context)) {
      // API Gateway accepts only string, number and boolean context values.
      if (!['string', 'number', 'boolean'].includes(typeof value)) return undefined;
      values[key] = String(value);
    }
  }
  return { principalId, statements, context: values };
}

/** IAM wildcards: `*` any run of characters, `?` one character. Actions ignore case, ARNs do not. */
function toPatterns(value: unknown, flags: string): RegExp[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => new RegExp(`^${String(item).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags));
}
