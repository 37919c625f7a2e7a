/** Hosts the fuzzer may always send traffic to: this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when `url` points at this machine. */
export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Throws unless `url` points at this machine: fuzz traffic never leaves the loopback interface. */
export function assertLoopback(url: string): void {
  if (!isLoopback(url)) {
    throw new Error(
      `Refusing to fuzz ${url}: only loopback targets (127.0.0.0/8, localhost, [::1]) are allowed`,
    );
  }
}

/**
 * The fuzzer's rule for where its traffic may go: this machine always; another host only when the
 * user named a deployed stage (`--stage`, `--api`), and only over HTTPS, since every request carries
 * a bearer token.
 */
export function assertFuzzTarget(url: string, deployed: boolean): void {
  if (isLoopback(url)) return;
  if (!deployed) assertLoopback(url);
  if (new URL(url).protocol !== 'https:')
    throw new Error(`Refusing to fuzz ${url}: a deployed stage is fuzzed over https only`);
}
