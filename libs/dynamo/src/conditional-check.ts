/**
 * True for DynamoDB's "condition not met" answer (`ConditionalCheckFailedException`), e.g. a put
 * with `attribute_not_exists` on a taken key or an update whose version no longer matches.
 * Checked by name: the error may come from another copy of the SDK (a bundle, a test helper),
 * where `instanceof` would miss it.
 */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';
