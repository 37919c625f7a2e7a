import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  DependencyUnavailableError,
  transientFailureOf,
  type TransientFailureKind,
} from './dependency-unavailable-error';
import { ServiceUnavailableError } from './service-unavailable-error';

const metadata = (httpStatusCode: number, attempts = 3) => ({ httpStatusCode, attempts });

/** Errors as the SDK throws them after its retries (the real exception classes), and Node's. */
const given: ReadonlyArray<[string, unknown, TransientFailureKind | undefined]> = [
  [
    'ThrottlingException',
    new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata(400) }),
    'throttled',
  ],
  [
    'ProvisionedThroughputExceededException',
    new ProvisionedThroughputExceededException({ message: 'x', $metadata: metadata(400) }),
    'throttled',
  ],
  [
    'an HTTP 429 of any name',
    Object.assign(new Error('slow down'), { name: 'Whatever', $metadata: metadata(429) }),
    'throttled',
  ],
  [
    'InternalServerError (500)',
    new InternalServerError({ message: 'x', $metadata: metadata(500) }),
    'unavailable',
  ],
  [
    'an unmodelled 503',
    Object.assign(new Error('x'), {
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: metadata(503),
    }),
    'unavailable',
  ],
  [
    'a connection reset',
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    'unavailable',
  ],
  [
    'a refused connection',
    Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    'unavailable',
  ],
  [
    'a network error wrapped as a cause',
    new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }),
    'unavailable',
  ],
  ['the deadline', Object.assign(new Error('late'), { name: 'DeadlineExceededError' }), 'timeout'],
  [
    'an attempt aborted at the deadline',
    Object.assign(new Error('Request aborted'), { name: 'AbortError' }),
    'timeout',
  ],
  ["the SDK's request timeout", Object.assign(new Error('x'), { name: 'TimeoutError' }), 'timeout'],
  [
    'ConditionalCheckFailedException',
    new ConditionalCheckFailedException({ message: 'x', $metadata: metadata(400, 1) }),
    undefined,
  ],
  [
    'ResourceNotFoundException (a missing table: a deployment bug)',
    new ResourceNotFoundException({ message: 'x', $metadata: metadata(400, 1) }),
    undefined,
  ],
  ['a TypeError', new TypeError('undefined is not a function'), undefined],
  ['a string', 'ThrottlingException', undefined],
  ['null', null, undefined],
];

describe('transientFailureOf', () => {
  it.each(given)('classifies %s', (_name, error, want) => {
    expect(transientFailureOf(error)).toBe(want);
  });

  it('does not follow a cycle of causes forever', () => {
    const a: { name: string; cause?: unknown } = { name: 'A' };
    a.cause = { name: 'B', cause: a };
    expect(transientFailureOf(a)).toBeUndefined();
  });
});

describe('DependencyUnavailableError', () => {
  it('is a 503 with Retry-After whose public detail says nothing about the dependency', () => {
    const cause = new ThrottlingException({
      message: 'Rate of requests exceeds',
      $metadata: metadata(400, 3),
    });
    const error = DependencyUnavailableError.from(cause)!;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.name).toBe('DependencyUnavailableError');
    expect(error.kind).toBe('throttled');
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ 'Retry-After': '1' });
    expect(error.cause).toBe(cause);
    expect(error.detail).toBe(
      'a dependency throttled the call (ThrottlingException after 3 attempts)',
    );
    expect(error.toProblem()).toEqual({
      type: 'urn:problem-type:service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is temporarily unavailable; retry later.',
    });
  });

  it('is nothing for an error that is not a transient dependency failure', () => {
    expect(DependencyUnavailableError.from(new Error('bug'))).toBeUndefined();
  });
});
