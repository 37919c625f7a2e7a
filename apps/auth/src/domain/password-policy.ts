import { ValidationError } from '@sm/errors';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The passwords registration refuses (NIST SP 800-63B §3.1.1.2, "Password Verifiers"): at least
 * 12 characters (the contract's `minLength`, checked before this), none of the most commonly used
 * passwords, nothing made of the username, nothing repetitive. No composition rules (NIST: they
 * make passwords worse, not stronger).
 *
 * The common passwords are zxcvbn-ts's `passwords-common` list (about 49,000 passwords from public
 * breach corpora, maintained on npm as `@zxcvbn-ts/language-common`, pinned). It is imported by
 * this module alone, which only create-user's bundle includes (the package decompresses the list
 * when it is loaded, at create-user's cold start); it is folded into a Set at the first check.
 */
let common: ReadonlySet<string> | undefined;
const commonPasswords = (): ReadonlySet<string> => (common ??= new Set((dictionary['passwords-common'] as readonly string[]).map((p) => p.toLowerCase())));

/** What is wrong with the password, in words for the client, or `undefined` when it is acceptable. */
export const passwordWeakness = (password: string, username: string): string | undefined => {
  // Compatibility normalization (NIST: NFKC or NFKD) and case folding: 'Ｐassword…' is 'password…'.
  const folded = password.normalize('NFKC').toLowerCase();
  if (folded.length < 12) return 'must have at least 12 characters';
  if (commonPasswords().has(folded)) return 'is one of the most commonly used passwords; choose another';
  if (folded.includes(username.toLowerCase())) return 'must not contain the username';
  if (/^(.{1,4})\1+$/su.test(folded)) return 'must not be one short sequence repeated';
  return undefined;
};

/** Throws a 400 `validation-error` naming `/body/password` and the reason, for a refused password. */
export const assertAcceptablePassword = (password: string, username: string): void => {
  const weakness = passwordWeakness(password, username);
  if (weakness !== undefined) throw ValidationError.of('/body/password', weakness);
};
