import { assertLoopback } from './loopback';

describe('assertLoopback', () => {
  it.each(['http://127.0.0.1:3000', 'http://127.4.5.6:80/x', 'http://localhost:1234', 'http://[::1]:8080'])('allows %s', (url) => {
    expect(() => assertLoopback(url)).not.toThrow();
  });

  it.each(['http://10.0.0.1:3000', 'http://192.168.1.10', 'https://api.example.com/prod', 'http://127.0.0.1.example.com'])('refuses %s', (url) => {
    expect(() => assertLoopback(url)).toThrow(/only loopback targets/);
  });
});
