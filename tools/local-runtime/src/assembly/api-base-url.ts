/**
 * Each REST API's own base URL on the local origin, shaped like the deployed one.
 *
 * Deployed, every API has a base URL of its own: `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`.
 * Locally the APIs share one origin, so the API id moves into the path (LocalStack's convention):
 * `http://127.0.0.1:3000/_aws/execute-api/<apiId>/<stage>`. Anything that talks to "a deployed stage"
 * by its three base URLs can then talk to the local runtime the same way, stage path included.
 */

/** Where per-API base URLs live on the local origin. */
export const EXECUTE_API_PREFIX = '/_aws/execute-api/';

/** `${origin}/_aws/execute-api/<apiId>/<stage>`: no trailing slash, like CDK's `RestApi.url` without its last `/`. */
export function localApiBaseUrl(origin: string, apiId: string, stage: string): string {
  return `${origin}${EXECUTE_API_PREFIX}${apiId}/${stage}`;
}

/** A request path addressed to one API's base URL. */
export interface ExecuteApiPath {
  apiId: string;
  stage: string;
  /** The path below the stage, as the deployed API sees it: `/loc/u1`, or `/` for the stage itself. */
  path: string;
}

/**
 * Splits `/_aws/execute-api/<apiId>/<stage>/rest…` into its parts; `undefined` for any other path
 * (the root-origin routes) or one that names no API and stage.
 */
export function parseExecuteApiPath(path: string): ExecuteApiPath | undefined {
  if (!path.startsWith(EXECUTE_API_PREFIX)) return undefined;
  const apiEnd = path.indexOf('/', EXECUTE_API_PREFIX.length);
  if (apiEnd <= EXECUTE_API_PREFIX.length) return undefined;
  const stageEnd = path.indexOf('/', apiEnd + 1);
  const stage = stageEnd < 0 ? path.slice(apiEnd + 1) : path.slice(apiEnd + 1, stageEnd);
  if (stage === '') return undefined;
  return {
    apiId: path.slice(EXECUTE_API_PREFIX.length, apiEnd),
    stage,
    path: stageEnd < 0 ? '/' : path.slice(stageEnd),
  };
}

/**
 * The service a stack holds, as the load tests and the fuzzing name it: the stack's construct id
 * without its `Sm` prefix, lower-cased (`SmAuth` → `auth`, also inside a CDK Stage: `Staging/SmAuth`).
 */
export function serviceOfStack(stackId: string): string {
  return stackId.replace(/^Sm(?=[A-Z])/, '').toLowerCase();
}
