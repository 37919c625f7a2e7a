import { checkSmokeAnswer, eventForRun, runSmokeRequests } from './smoke-check';
import { authorizerSmokeRequest, type SmokeRequest } from './smoke-request';
import { proxyEvent, SMOKE_REQUEST_ID, SMOKE_TOKEN } from './proxy-event';

const getRequest: SmokeRequest = {
  name: 'getThing: the contract example',
  event: proxyEvent({
    method: 'GET',
    resource: '/things/{id}',
    pathParameters: { id: 't1' },
    query: {},
    headers: {},
    secured: true,
  }),
  expect: { kind: 'proxy', statuses: [200, 404] },
};

describe('checkSmokeAnswer', () => {
  it.each([
    {
      name: 'a declared status',
      answer: { payload: { statusCode: 404, body: '{}' } },
      ok: true,
      detail: 'answered 404',
    },
    {
      name: 'an undeclared status',
      answer: { payload: { statusCode: 500, body: 'boom' } },
      ok: false,
      detail: 'answered 500, expected 200 or 404: boom',
    },
    {
      name: 'a function error',
      answer: {
        functionError: 'Unhandled',
        payload: { errorType: 'Runtime.ImportModuleError', errorMessage: "Cannot find module 'x'" },
      },
      ok: false,
      detail: "the function failed (Unhandled): Runtime.ImportModuleError: Cannot find module 'x'",
    },
    {
      name: 'something that is not a proxy result',
      answer: { payload: 'hello' },
      ok: false,
      detail: 'not an API Gateway proxy result: "hello"',
    },
    {
      name: 'a non-string body',
      answer: { payload: { statusCode: 200, body: { a: 1 } } },
      ok: false,
      detail: 'the proxy result has a body that is not a string (API Gateway answers 502)',
    },
  ])('proxy: $name', ({ answer, ok, detail }) => {
    expect(checkSmokeAnswer(getRequest, answer)).toEqual({ name: getRequest.name, ok, detail });
  });

  it.each([
    {
      name: 'Unauthorized passes',
      answer: {
        functionError: 'Unhandled',
        payload: { errorType: 'Error', errorMessage: 'Unauthorized' },
      },
      ok: true,
    },
    {
      name: 'a policy fails',
      answer: { payload: { principalId: 'u', policyDocument: {} } },
      ok: false,
    },
    {
      name: 'another error fails',
      answer: {
        functionError: 'Unhandled',
        payload: { errorType: 'TypeError', errorMessage: 'x is undefined' },
      },
      ok: false,
    },
  ])('authorizer: $name', ({ answer, ok }) => {
    expect(checkSmokeAnswer(authorizerSmokeRequest(), answer).ok).toBe(ok);
  });
});

describe('eventForRun', () => {
  it('puts a fresh well-formed token and request id in place of the placeholders, different at every run', () => {
    const first = JSON.stringify(eventForRun(getRequest));
    const second = JSON.stringify(eventForRun(getRequest));

    expect(first).not.toContain(SMOKE_TOKEN);
    expect(first).not.toContain(SMOKE_REQUEST_ID);
    const token = /Bearer ([^"]+)"/.exec(first)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toContain(token);
  });
});

describe('runSmokeRequests', () => {
  it('checks every request in order and turns an invocation that throws into a failed result', async () => {
    const seen: unknown[] = [];
    const results = await runSmokeRequests(
      [getRequest, authorizerSmokeRequest()],
      async (event) => {
        seen.push(event);
        if (seen.length === 2) throw new Error('AccessDeniedException: not allowed');
        return { payload: { statusCode: 200, body: '{}' } };
      },
    );

    expect(results.map((r) => [r.ok, r.detail])).toEqual([
      [true, 'answered 200'],
      [false, 'could not invoke the new version: AccessDeniedException: not allowed'],
    ]);
    expect((seen[1] as { type: string }).type).toBe('TOKEN');
  });
});
