import {
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '@sm/errors';

/** 403: only the owner (authorizer principal = path `userId`) may write a profile. */
export class NotProfileOwnerError extends ForbiddenError {
  public constructor() {
    super('Only the owner may change this profile.');
  }
}

/** 404: the user has not written a profile yet. */
export class ProfileNotFoundError extends NotFoundError {
  public constructor() {
    super('No profile exists for this user.');
  }
}

/** 412: `If-Match` names no version the profile has now (or the profile does not exist). */
export class ProfileChangedError extends PreconditionFailedError {
  public constructor() {
    super(
      'The profile changed since you read it (or does not exist yet); read it again and retry.',
    );
  }
}

/** 400 on `/header/if-match`: not `*` and not a list of entity tags (RFC 9110, section 13.1.1). */
export class InvalidIfMatchError extends ValidationError {
  public constructor() {
    super([
      {
        pointer: '/header/if-match',
        message: 'must be * or a comma-separated list of entity tags such as "v3"',
      },
    ]);
  }
}
