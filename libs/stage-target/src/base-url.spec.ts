import { normalizeBaseUrl, urlBelow } from './base-url';
import { StageTargetError } from './errors';

describe('normalizeBaseUrl', () => {
  it.each([
    [
      'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging/',
      'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging',
    ],
    [
      'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging',
      'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging',
    ],
    [
      ' http://127.0.0.1:4000/_aws/execute-api/k3x9q0w2ab/prod// ',
      'http://127.0.0.1:4000/_aws/execute-api/k3x9q0w2ab/prod',
    ],
    ['https://api.example.com', 'https://api.example.com'],
  ])('keeps the stage path of %s and drops the trailing slash', (given, want) => {
    expect(normalizeBaseUrl(given, '--api auth')).toBe(want);
  });

  it.each([
    [
      'abc123defg.execute-api.eu-west-1.amazonaws.com/staging',
      "--api auth: not an absolute URL: 'abc123defg.execute-api.eu-west-1.amazonaws.com/staging'",
    ],
    ['ftp://example.com/x', "--api auth: only http(s) URLs, got 'ftp://example.com/x'"],
    [
      'https://example.com/prod?x=1',
      "--api auth: a base URL has no query or fragment, got 'https://example.com/prod?x=1'",
    ],
    ['https://user:pw@example.com/prod', '--api auth: credentials do not belong in a base URL'],
  ])('refuses %s, naming the flag', (given, message) => {
    expect(() => normalizeBaseUrl(given, '--api auth')).toThrow(new StageTargetError(message));
  });
});

describe('urlBelow', () => {
  it('keeps the base URL’s stage path, which new URL(path, base) would drop', () => {
    const base = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging';
    expect(urlBelow(base, '/loc/u1?limit=5')).toBe(`${base}/loc/u1?limit=5`);
    expect(urlBelow(`${base}/`, '/users')).toBe(`${base}/users`);
    expect(new URL('/users', `${base}/`).href).not.toBe(`${base}/users`);
  });

  it('refuses a relative path', () => {
    expect(() => urlBelow('https://example.com/prod', 'users')).toThrow(StageTargetError);
  });
});
