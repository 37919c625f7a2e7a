import { AppError, isAppError } from './app-error';
import { ConflictError } from './conflict-error';
import { InternalError } from './internal-error';
import { ServiceUnavailableError } from './service-unavailable-error';

class UsernameTakenError extends ConflictError {
  public constructor(username: string) {
    super(`The username '${username}' is already taken.`, {
      slug: 'username-taken',
      title: 'Username taken',
    });
  }
}

describe('AppError', () => {
  it('renders a client error as a problem with its own detail and a urn type', () => {
    // Prepare
    const error = new UsernameTakenError('ada');

    // Act
    const problem = error.toProblem();

    // Assess
    expect(problem).toEqual({
      type: 'urn:problem-type:username-taken',
      title: 'Username taken',
      status: 409,
      detail: "The username 'ada' is already taken.",
    });
    expect(error.expose).toBe(true);
  });

  it('lets a domain error extend a generic class and still be recognised as both', () => {
    // Act
    const error: unknown = new UsernameTakenError('ada');

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(isAppError(error)).toBe(true);
    expect((error as Error).name).toBe('UsernameTakenError');
  });

  it('never exposes the detail of a server error to the client', () => {
    // Prepare
    const error = new InternalError('connection to 10.0.0.7 refused');

    // Act
    const problem = error.toProblem();

    // Assess
    expect(error.expose).toBe(false);
    expect(problem.detail).not.toContain('10.0.0.7');
    expect(problem).toMatchObject({ type: 'urn:problem-type:internal-error', status: 500 });
    expect(error.message).toBe('connection to 10.0.0.7 refused');
  });

  it('gives a 503 a fixed retry hint instead of its internal detail', () => {
    // Act
    const problem = new ServiceUnavailableError('table locations-prod is throttling').toProblem();

    // Assess
    expect(problem.detail).toBe('The service is temporarily unavailable; retry later.');
  });

  it('keeps the underlying error as cause for the logs', () => {
    // Prepare
    const root = new Error('socket hang up');

    // Act
    const error = new InternalError('lookup failed', { cause: root });

    // Assess
    expect(error.cause).toBe(root);
    expect(JSON.stringify(error)).not.toContain('socket hang up');
  });

  it('carries extra response headers such as Retry-After', () => {
    // Act
    const error = new AppError({
      status: 429,
      slug: 'throttled',
      title: 'Too Many Requests',
      detail: 'slow down',
      headers: { 'retry-after': '1' },
    });

    // Assess
    expect(error.headers).toEqual({ 'retry-after': '1' });
  });

  it('does not treat a plain Error as an AppError', () => {
    expect(isAppError(new Error('boom'))).toBe(false);
  });
});
