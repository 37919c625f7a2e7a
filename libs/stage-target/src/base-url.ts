import { StageTargetError } from './errors';

/**
 * A service's base URL as the tools use it: absolute http(s), stage path included, no trailing slash,
 * no query or fragment (`https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging`).
 *
 * @param what names the value in the error, e.g. `--api auth` or `CloudFormation output ApiUrl of Staging-SmAuth`
 */
export function normalizeBaseUrl(raw: string, what: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new StageTargetError(`${what}: not an absolute URL: '${raw}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StageTargetError(`${what}: only http(s) URLs, got '${raw}'`);
  }
  if (url.search || url.hash)
    throw new StageTargetError(`${what}: a base URL has no query or fragment, got '${raw}'`);
  if (url.username || url.password)
    throw new StageTargetError(`${what}: credentials do not belong in a base URL`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The URL of `path` (which starts with `/`) below a base URL, keeping the base's own path: the stage.
 * `new URL('/loc/u1', base)` would drop it, and with it the stage, so it is never used for this.
 */
export function urlBelow(baseUrl: string, path: string): string {
  if (!path.startsWith('/'))
    throw new StageTargetError(`a path below a base URL starts with '/', got '${path}'`);
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}
