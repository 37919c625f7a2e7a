import { GATEWAY_PROBLEMS, GATEWAY_RESPONSE_TYPES, problemTemplate } from './gateway-responses';

/**
 * What API Gateway does with a gateway response template: plain substitution of `$context`
 * variables, no VTL. `messageString` is the message already quoted as a JSON string.
 */
function substitute(template: string, context: { message: string; path: string; requestId: string }): string {
  return template
    .replaceAll('$context.error.messageString', JSON.stringify(context.message))
    .replaceAll('$context.path', context.path)
    .replaceAll('$context.requestId', context.requestId);
}

const awkwardMessages = [
  'Invalid request body',
  'Missing required request parameters: [userId]',
  'Unauthorized',
  'User is not authorized to access this resource with an explicit deny',
  'message with "quotes", a back\\slash and a\nnewline',
];

describe('gateway problem responses', () => {
  it('cover every gateway response type API Gateway defines', () => {
    expect(Object.keys(GATEWAY_PROBLEMS).sort()).toEqual([...GATEWAY_RESPONSE_TYPES].sort());
    expect(GATEWAY_RESPONSE_TYPES).toHaveLength(21);
  });

  describe.each(GATEWAY_RESPONSE_TYPES)('%s', (type) => {
    const problem = GATEWAY_PROBLEMS[type];

    it.each(awkwardMessages)('renders valid problem JSON for the message %j', (message) => {
      const body = JSON.parse(substitute(problemTemplate(problem), { message, path: '/loc/3f1c', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' }));
      expect(body).toEqual({
        type: `urn:problem-type:${problem.slug}`,
        title: problem.title,
        ...(problem.status === undefined ? {} : { status: problem.status }),
        detail: problem.detail ?? message,
        instance: '/loc/3f1c',
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      });
    });

    it('has an error status, or none only where API Gateway must keep its own (DEFAULT_5XX)', () => {
      if (type === 'DEFAULT_5XX') expect(problem.status).toBeUndefined();
      else expect(problem.status).toBeGreaterThanOrEqual(400);
      expect(problem.status ?? 599).toBeLessThan(600);
      expect(problem.slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
    });
  });

  it('never puts the unescaped validation error string into the body', () => {
    for (const type of GATEWAY_RESPONSE_TYPES) {
      expect(problemTemplate(GATEWAY_PROBLEMS[type])).not.toContain('validationErrorString');
      expect(problemTemplate(GATEWAY_PROBLEMS[type])).not.toMatch(/"\$context\.error\.message"/);
    }
  });

  it('maps gateway faults to the shared problem types', () => {
    expect(GATEWAY_PROBLEMS.BAD_REQUEST_BODY).toMatchObject({ status: 400, slug: 'validation-error' });
    expect(GATEWAY_PROBLEMS.UNAUTHORIZED).toMatchObject({ status: 401, slug: 'unauthorized' });
    expect(GATEWAY_PROBLEMS.ACCESS_DENIED).toMatchObject({ status: 403, slug: 'forbidden' });
    expect(GATEWAY_PROBLEMS.MISSING_AUTHENTICATION_TOKEN).toMatchObject({ status: 404, slug: 'route-not-found' });
    expect(GATEWAY_PROBLEMS.THROTTLED).toMatchObject({ status: 429, slug: 'throttled' });
    expect(GATEWAY_PROBLEMS.REQUEST_TOO_LARGE).toMatchObject({ status: 413, slug: 'payload-too-large' });
    expect(GATEWAY_PROBLEMS.UNSUPPORTED_MEDIA_TYPE).toMatchObject({ status: 415, slug: 'unsupported-media-type' });
    expect(GATEWAY_PROBLEMS.INTEGRATION_FAILURE).toMatchObject({ status: 502, slug: 'bad-gateway' });
    expect(GATEWAY_PROBLEMS.INTEGRATION_TIMEOUT).toMatchObject({ status: 504, slug: 'gateway-timeout' });
    // The authorizer failed closed (its store is away) or could not be invoked: retry, as for any outage.
    expect(GATEWAY_PROBLEMS.AUTHORIZER_CONFIGURATION_ERROR).toMatchObject({ status: 503, slug: 'service-unavailable' });
    expect(GATEWAY_PROBLEMS.AUTHORIZER_FAILURE).toMatchObject({ status: 500, slug: 'internal-error' });
    expect(GATEWAY_PROBLEMS.DEFAULT_5XX).toEqual({ slug: 'server-error', title: 'Server Error' });
  });
});
