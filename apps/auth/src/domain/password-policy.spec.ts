import { dictionary } from '@zxcvbn-ts/language-common';
import { assertAcceptablePassword, passwordWeakness } from './password-policy';

describe('the password policy (NIST SP 800-63B)', () => {
  it.each([
    ['correct horse battery staple', 'alice_01'],
    ['Tr0ub4dor&3-is-not-enough', 'bob'],
    ['zq7!xw-vb3kp', 'carol'], // exactly 12, none of the rules
    ['ünïcødé pässwörd ✓', 'dave'],
  ])('accepts %p for %p', (password, username) => {
    expect(passwordWeakness(password, username)).toBeUndefined();
  });

  it.each([
    ['short', 'must have at least 12 characters'],
    ['123qweasdzxc', 'is one of the most commonly used passwords; choose another'],
    ['QWERTY123456', 'is one of the most commonly used passwords; choose another'], // case folded
    ['ｑｗｅｒｔｙ１２３４５６', 'is one of the most commonly used passwords; choose another'], // fullwidth, NFKC
    ['leavemealone', 'is one of the most commonly used passwords; choose another'],
    ['my name is alice_01!', 'must not contain the username'],
    ['MY NAME IS ALICE_01!', 'must not contain the username'],
    ['aaaaaaaaaaaa', 'must not be one short sequence repeated'],
    ['abcdabcdabcd', 'must not be one short sequence repeated'],
  ])('refuses %p: it %s', (password, reason) => {
    expect(passwordWeakness(password, 'alice_01')).toBe(reason);
  });

  it('refuses every password of the list long enough to pass the length rule', () => {
    const long = (dictionary['passwords-common'] as string[]).filter((p) => p.normalize('NFKC').length >= 12);
    expect(long.length).toBeGreaterThan(200); // the list does hold long ones; the rule is not vacuous
    expect(long.filter((p) => passwordWeakness(p, 'x_unrelated_user') === undefined)).toEqual([]);
  });

  it('says why with a 400 problem naming /body/password', () => {
    let thrown: unknown;
    try {
      assertAcceptablePassword('123qweasdzxc', 'alice_01');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      status: 400,
      slug: 'validation-error',
      errors: [{ pointer: '/body/password', message: 'is one of the most commonly used passwords; choose another' }],
    });
  });
});
