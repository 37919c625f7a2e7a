/**
 * A target that cannot be used as given: a malformed `--api`, a stage whose URLs cannot be found, a
 * service left out. The message says what is wrong and what to pass instead; `cause` keeps the
 * underlying error (an AWS SDK error, say).
 */
export class StageTargetError extends Error {
  override name = 'StageTargetError';
}
