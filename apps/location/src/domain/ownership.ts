import { NotLocationOwnerError } from './errors';

/**
 * Owner-only rule shared by `putLocation` and `listLocationHistory`: the caller the authorizer
 * vouched for must be the user named in the path.
 */
export const assertOwner = (
  callerId: string,
  userId: string,
  action: 'write' | 'read-history',
): void => {
  if (callerId !== userId) throw new NotLocationOwnerError(action);
};
