import type { components } from '@sm/contract-auth';
import { InvalidCredentialsError } from '@sm/errors';
import { OWASP_SCRYPT, unmatchableHash, verifyPassword, type ScryptParameters } from './password';
import { SignInLockedError } from './errors';
import { epochSeconds, type Clock, type SignInAttempts, type TokenStore, type UserStore } from './ports';
import { mintToken } from './token';

type CreateTokenRequest = components['schemas']['CreateTokenRequest'];
type Token = components['schemas']['Token'];

export interface IssueTokenDeps {
  readonly users: UserStore;
  readonly tokens: TokenStore;
  /** Attempts per username: the lockout. */
  readonly attempts: SignInAttempts;
  /** Lifetime of a new token in seconds. */
  readonly ttlSeconds: number;
  readonly now?: Clock;
  /** Cost of the stand-in hash checked for unknown users; match what registration uses. @default OWASP_SCRYPT */
  readonly scrypt?: ScryptParameters;
}

/**
 * Signs a user in. An unknown username and a wrong password take the same path: both are counted
 * against the username's attempts, both run one scrypt verification (against an unmatchable
 * stand-in hash when the user does not exist) and both end in the same {@link InvalidCredentialsError}
 * (its default detail names neither), so neither the answer nor its timing tells them apart. A
 * username out of attempts gets {@link SignInLockedError} before anything else runs: no user
 * lookup, no scrypt, whether or not it exists.
 */
export const createIssueToken = ({ users, tokens, attempts, ttlSeconds, now = Date.now, scrypt = OWASP_SCRYPT }: IssueTokenDeps) => {
  const standIn = unmatchableHash(scrypt);
  return async (request: CreateTokenRequest): Promise<Token> => {
    const attempt = await attempts.begin(request.username, epochSeconds(now()));
    if (!attempt.allowed) throw new SignInLockedError(attempt.retryAfterSeconds);

    const user = await users.findByUsername(request.username);
    const matches = await verifyPassword(request.password, user?.password ?? standIn);
    if (user === undefined || !matches) {
      await attempts.failed(request.username, attempt, epochSeconds(now()));
      throw new InvalidCredentialsError();
    }
    await attempts.succeeded(request.username);

    const issuedAt = now();
    const expiresAt = epochSeconds(issuedAt) + ttlSeconds;
    const { token, tokenHash } = mintToken();
    await tokens.insert({
      tokenHash,
      userId: user.userId,
      username: user.username,
      expiresAt,
      createdAt: new Date(issuedAt).toISOString(),
    });
    return { token, tokenType: 'Bearer', expiresAt: new Date(expiresAt * 1000).toISOString(), userId: user.userId };
  };
};
