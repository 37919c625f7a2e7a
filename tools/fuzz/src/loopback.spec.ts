import { assertFuzzTarget, assertLoopback } from './loopback';

describe('assertLoopback', () => {
  it.each([
    'http://127.0.0.1:3000',
    'http://127.4.5.6:80/x',
    'http://localhost:1234',
    'http://[::1]:8080',
  ])('allows %s', (url) => {
    expect(() => assertLoopback(url)).not.toThrow();
  });

  it.each([
    'http://10.0.0.1:3000',
    'http://192.168.1.10',
    'https://api.example.com/prod',
    'http://127.0.0.1.example.com',
  ])('refuses %s', (url) => {
    expect(() => assertLoopback(url)).toThrow(/only loopback targets/);
  });
});

describe('assertFuzzTarget', () => {
  it('allows this machine always, and a named deployed stage over https', () => {
    expect(() =>
      assertFuzzTarget('http://127.0.0.1:3000/_aws/execute-api/abc/prod', false),
    ).not.toThrow();
    expect(() =>
      assertFuzzTarget('http://127.0.0.1:3000/_aws/execute-api/abc/prod', true),
    ).not.toThrow();
    expect(() =>
      assertFuzzTarget('https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging', true),
    ).not.toThrow();
  });

  it('refuses another host unless a deployed stage was named, and plain http to one', () => {
    expect(() =>
      assertFuzzTarget('https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging', false),
    ).toThrow(/only loopback targets/);
    expect(() =>
      assertFuzzTarget('http://abc123defg.execute-api.eu-west-1.amazonaws.com/staging', true),
    ).toThrow(
      'Refusing to fuzz http://abc123defg.execute-api.eu-west-1.amazonaws.com/staging: a deployed stage is fuzzed over https only',
    );
  });
});
