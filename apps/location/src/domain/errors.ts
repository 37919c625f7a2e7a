import { ForbiddenError, NotFoundError, ValidationError } from '@sm/errors';

/** 403: only the owner of a location (authorizer principal = path `userId`) may write it or read its history. */
export class NotLocationOwnerError extends ForbiddenError {
  public constructor(action: 'write' | 'read-history') {
    super(
      action === 'write'
        ? 'Only the owner may report their location.'
        : 'Only the owner may read their location history.',
    );
  }
}

/** 404: the user never reported a location. */
export class LocationNotFoundError extends NotFoundError {
  public constructor() {
    super('No location has been recorded for this user.');
  }
}

/**
 * 400 on `/query/cursor`: the cursor is not one this service issued for this user's history
 * (tampered, truncated, garbage, another user's, or pointing outside the history). It reads
 * exactly like `@sm/dynamo`'s structural rejection and does not say which check failed, so a
 * caller learns nothing about other users' keys.
 */
export class InvalidCursorError extends ValidationError {
  public constructor(cause?: unknown) {
    super([{ pointer: '/query/cursor', message: 'is not a valid cursor' }], {
      cause,
    });
  }
}
