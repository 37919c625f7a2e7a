/** One DynamoDB API call on its way from a function to the store. */
export interface DynamoCall {
  /** The operation from `X-Amz-Target` (`DynamoDB_20120810.PutItem` → `PutItem`). */
  readonly operation: string;
  /** The request body, parsed. A layer may change it before passing the call on; set `changed`. */
  request: Record<string, unknown>;
  /** Set by a layer that changed `request`, so the body is serialized again. */
  changed: boolean;
  /** The raw body as the function sent it. */
  readonly rawBody: Buffer;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** performance.now() when the whole request had arrived. */
  readonly receivedAt: number;
}

/** What goes back to the function: an HTTP answer, or a connection cut without one. */
export type DynamoReply =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer }
  | { kind: 'reset' };

/**
 * One pluggable layer of the proxy: sees each call on its way in, decides whether and how to pass
 * it on (`next`), and sees (and may change) the reply on its way out. Layers run outermost first:
 * the metrics recorder sits outside a fault injector, so it records what the functions saw.
 */
export interface DynamoProxyLayer {
  readonly name: string;
  handle(call: DynamoCall, next: (call: DynamoCall) => Promise<DynamoReply>): Promise<DynamoReply>;
}

/** The body of a reply as JSON, or undefined when it is not a JSON object. */
export function replyJson(reply: DynamoReply): Record<string, unknown> | undefined {
  if (reply.kind !== 'response' || reply.body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(reply.body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The error type of a 4xx/5xx reply (`ThrottlingException`), from its `__type`. */
export function errorType(body: Record<string, unknown> | undefined): string | undefined {
  const type = body?.['__type'];
  return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
}
