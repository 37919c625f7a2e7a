/**
 * The headers every answer of a JSON API carries, whatever it says (OWASP REST Security Cheat
 * Sheet, "Security headers"). API Gateway's own answers carry the same ones, through the gateway
 * responses and the 405 methods of `ContractRestApi` (`@sm/infra`).
 */

/** Every response: a browser must not guess another media type from the body. */
export const NOSNIFF = { 'x-content-type-options': 'nosniff' } as const;

/**
 * Every response of a JSON API: nothing in it may load, run or be framed, should a browser ever
 * render it as a page.
 */
export const JSON_API_CSP = { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" } as const;

/**
 * Authenticated and error responses: no cache (browser, proxy, CDN) may keep or replay them. An
 * authenticated answer is one caller's data; an error describes one request.
 */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

/**
 * A response's headers with the security headers set: they replace anything the handler set under
 * the same name (in any case), so no handler can weaken them. Other headers keep their spelling.
 */
export const withSecurityHeaders = (
  headers: Readonly<Record<string, string>> | undefined,
  options: { readonly private: boolean },
): Record<string, string> => {
  const security: Record<string, string> = { ...NOSNIFF, ...JSON_API_CSP, ...(options.private ? NO_STORE : {}) };
  const kept = Object.entries(headers ?? {}).filter(([name]) => !(name.toLowerCase() in security));
  return { ...Object.fromEntries(kept), ...security };
};
