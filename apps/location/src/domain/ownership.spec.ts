import { ForbiddenError } from '@sm/errors';
import { NotLocationOwnerError } from './errors';
import { assertOwner } from './ownership';

describe('assertOwner', () => {
  it('lets the owner act on their own location', () => {
    expect(() => assertOwner('user-a', 'user-a', 'write')).not.toThrow();
  });

  it.each(['write', 'read-history'] as const)('refuses %s by another user with a 403', (action) => {
    const act = () => assertOwner('user-b', 'user-a', action);

    expect(act).toThrow(NotLocationOwnerError);
    expect(act).toThrow(ForbiddenError);
    try {
      act();
    } catch (error) {
      expect((error as ForbiddenError).toProblem()).toMatchObject({
        status: 403,
        type: 'urn:problem-type:forbidden',
      });
    }
  });
});
