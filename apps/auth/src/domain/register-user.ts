import type { components } from '@sm/contract-auth';
import { randomUUID } from 'node:crypto';
import { UsernameTakenError } from './errors';
import { hashPassword, OWASP_SCRYPT, type ScryptParameters } from './password';
import { assertAcceptablePassword } from './password-policy';
import type { Clock, UserStore } from './ports';

type CreateUserRequest = components['schemas']['CreateUserRequest'];
type User = components['schemas']['User'];

export interface RegisterUserDeps {
  readonly users: UserStore;
  readonly now?: Clock;
  /** @default OWASP_SCRYPT */
  readonly scrypt?: ScryptParameters;
}

/**
 * Registers a user. The password must pass the policy (`password-policy.ts`: 400 naming the reason)
 * before any scrypt runs. Uniqueness rests on the store's conditional write alone (no
 * read-then-write), so of any number of concurrent registrations of one username exactly one succeeds.
 */
export const createRegisterUser =
  ({ users, now = Date.now, scrypt = OWASP_SCRYPT }: RegisterUserDeps) =>
  async (request: CreateUserRequest): Promise<User> => {
    assertAcceptablePassword(request.password, request.username);
    const password = await hashPassword(request.password, scrypt);
    const user = {
      userId: randomUUID(),
      username: request.username,
      displayName: request.displayName,
      password,
      createdAt: new Date(now()).toISOString(),
    };
    if (!(await users.insert(user))) throw new UsernameTakenError(request.username);
    return { userId: user.userId, username: user.username, displayName: user.displayName };
  };
