/** Hosts the fuzzer may send traffic to: this machine only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Throws unless `url` points at this machine: fuzz traffic never leaves the loopback interface. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (!LOOPBACK_HOSTS.has(hostname) && !/^127(\.\d{1,3}){3}$/.test(hostname)) {
    throw new Error(`Refusing to fuzz ${url}: only loopback targets (127.0.0.0/8, localhost, [::1]) are allowed`);
  }
}
