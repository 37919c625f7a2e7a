import { AppError } from './app-error';
import * as errors from './index';

describe('error classes', () => {
  const table: ReadonlyArray<[string, AppError, number, string]> = [
    ['UnauthorizedError', new errors.UnauthorizedError(), 401, 'unauthorized'],
    ['InvalidCredentialsError', new errors.InvalidCredentialsError(), 401, 'invalid-credentials'],
    ['ForbiddenError', new errors.ForbiddenError(), 403, 'forbidden'],
    ['NotFoundError', new errors.NotFoundError(), 404, 'not-found'],
    ['ConflictError', new errors.ConflictError(), 409, 'conflict'],
    ['PreconditionFailedError', new errors.PreconditionFailedError(), 412, 'precondition-failed'],
    ['PayloadTooLargeError', new errors.PayloadTooLargeError(), 413, 'payload-too-large'],
    [
      'UnsupportedMediaTypeError',
      new errors.UnsupportedMediaTypeError(),
      415,
      'unsupported-media-type',
    ],
    ['ThrottledError', new errors.ThrottledError(), 429, 'throttled'],
    ['InternalError', new errors.InternalError(), 500, 'internal-error'],
    ['BadGatewayError', new errors.BadGatewayError(), 502, 'bad-gateway'],
    ['ServiceUnavailableError', new errors.ServiceUnavailableError(), 503, 'service-unavailable'],
    ['GatewayTimeoutError', new errors.GatewayTimeoutError(), 504, 'gateway-timeout'],
  ];

  it.each(table)('%s has its status, slug, name and exposure', (name, error, status, slug) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.type).toBe(`urn:problem-type:${slug}`);
    expect(error.expose).toBe(status < 500);
    expect(error.detail.length).toBeGreaterThan(0);
  });

  it('makes an invalid-credentials error an unauthorized error too', () => {
    expect(new errors.InvalidCredentialsError()).toBeInstanceOf(errors.UnauthorizedError);
  });

  it('lets a subclass keep a custom detail and title', () => {
    // Act
    const error = new errors.NotFoundError('No location recorded for this user.', {
      title: 'Location not found',
    });

    // Assess
    expect(error.toProblem()).toMatchObject({
      title: 'Location not found',
      detail: 'No location recorded for this user.',
    });
  });
});
