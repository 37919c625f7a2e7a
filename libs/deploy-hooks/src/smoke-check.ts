import { randomBytes, randomUUID } from 'node:crypto';
import { SMOKE_REQUEST_ID, SMOKE_TOKEN } from './proxy-event';
import type { SmokeRequest } from './smoke-request';

/** What invoking the new version gave: Lambda's `FunctionError` header and the decoded payload. */
export interface InvokeAnswer {
  /** `Unhandled` (or `Handled`) when the function failed; absent on success. */
  readonly functionError?: string;
  /** The payload, parsed as JSON when it is JSON. */
  readonly payload: unknown;
}

/** The verdict on one smoke request. */
export interface SmokeResult {
  readonly name: string;
  readonly ok: boolean;
  /** What came back, or why it is wrong. */
  readonly detail: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether the new version's answer is what the smoke request expects, and why not. */
export function checkSmokeAnswer(request: SmokeRequest, answer: InvokeAnswer): SmokeResult {
  const verdict = (ok: boolean, detail: string): SmokeResult => ({
    name: request.name,
    ok,
    detail,
  });
  const error = isRecord(answer.payload) ? answer.payload : {};
  const failure = `${String(error['errorType'] ?? 'Error')}: ${String(error['errorMessage'] ?? JSON.stringify(answer.payload))}`;

  if (request.expect.kind === 'unauthorized') {
    if (!answer.functionError)
      return verdict(
        false,
        `returned a result for a token nobody was issued: ${JSON.stringify(answer.payload)}`,
      );
    return error['errorMessage'] === 'Unauthorized'
      ? verdict(true, 'refused: Unauthorized')
      : verdict(false, `failed instead of refusing: ${failure}`);
  }

  if (answer.functionError)
    return verdict(false, `the function failed (${answer.functionError}): ${failure}`);
  const result = answer.payload;
  if (!isRecord(result) || !Number.isInteger(result['statusCode'])) {
    return verdict(false, `not an API Gateway proxy result: ${JSON.stringify(result)}`);
  }
  if (
    result['body'] !== undefined &&
    result['body'] !== null &&
    typeof result['body'] !== 'string'
  ) {
    return verdict(
      false,
      'the proxy result has a body that is not a string (API Gateway answers 502)',
    );
  }
  const status = result['statusCode'] as number;
  return request.expect.statuses.includes(status)
    ? verdict(true, `answered ${status}`)
    : verdict(
        false,
        `answered ${status}, expected ${request.expect.statuses.join(' or ')}: ${String(result['body'] ?? '')}`.slice(
          0,
          2000,
        ),
      );
}

/**
 * The event of a smoke request for one run: a fresh random token where it says `{{smoke-token}}`
 * (32 bytes, base64url, the shape the authorizer accepts, so the request goes past its format
 * check) and a fresh request id where it says `{{smoke-request-id}}`.
 */
export function eventForRun(request: SmokeRequest): unknown {
  const token = randomBytes(32).toString('base64url');
  const requestId = randomUUID();
  return JSON.parse(
    JSON.stringify(request.event)
      .replaceAll(SMOKE_TOKEN, token)
      .replaceAll(SMOKE_REQUEST_ID, requestId),
  );
}

/**
 * Sends every smoke request to the new version, one after the other, and checks each answer. An
 * invocation that throws (the Lambda API refused it) is a failed result, not an exception: the
 * hook must always report a status to CodeDeploy.
 */
export async function runSmokeRequests(
  requests: readonly SmokeRequest[],
  invoke: (event: unknown) => Promise<InvokeAnswer>,
): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  for (const request of requests) {
    try {
      results.push(checkSmokeAnswer(request, await invoke(eventForRun(request))));
    } catch (error) {
      results.push({
        name: request.name,
        ok: false,
        detail: `could not invoke the new version: ${(error as Error).message}`,
      });
    }
  }
  return results;
}
