import { ValidationError } from './validation-error';

describe('ValidationError', () => {
  it('lists every field error in the problem and summarises the first in the detail', () => {
    // Prepare
    const errors = [
      { pointer: '/body/username', message: 'must NOT have fewer than 3 characters' },
      { pointer: '/query/limit', message: 'must be <= 100' },
    ];

    // Act
    const problem = new ValidationError(errors).toProblem();

    // Assess
    expect(problem).toEqual({
      type: 'urn:problem-type:validation-error',
      title: 'Request Validation Failed',
      status: 400,
      detail:
        'The request is invalid: /body/username must NOT have fewer than 3 characters (and 1 more).',
      errors,
    });
  });

  it('builds a single-field error with the of() shortcut', () => {
    // Act
    const error = ValidationError.of('/query/cursor', 'is not a valid cursor');

    // Assess
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ pointer: '/query/cursor', message: 'is not a valid cursor' }]);
    expect(error.detail).toBe('The request is invalid: /query/cursor is not a valid cursor.');
  });

  it('accepts an explicit detail', () => {
    // Act
    const error = new ValidationError([], { detail: 'Nothing to update.' });

    // Assess
    expect(error.toProblem().detail).toBe('Nothing to update.');
  });
});
