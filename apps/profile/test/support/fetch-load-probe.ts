/**
 * Run in a fresh Node process by `cold-start.int.spec.ts` (Jest's own process loaded Node's fetch
 * long ago): imports the get-profile function as Lambda would, then makes one location lookup
 * through the function's own lookup, and prints whether Node's fetch implementation (undici) was
 * loaded after each step, as one JSON line.
 */
/** Node's list of the internal modules it has loaded (undocumented, but stable since Node 0.x). */
const { moduleLoadList } = process as NodeJS.Process & { readonly moduleLoadList: string[] };
const fetchLoaded = (): boolean => moduleLoadList.some((name) => name.includes('undici'));

const main = async (): Promise<void> => {
  const beforeImport = fetchLoaded();
  const { handler } = await import('../../src/handlers/get-profile');
  const { locationLookup } = await import('../../src/handlers/support/location');
  const afterImport = fetchLoaded();
  const result = await locationLookup.currentLocation({
    userId: '3f1c2a9e-5b7d-4e2f-9a61-0c8d4b2e7f10',
    authorization: undefined,
    timeoutMs: 2000,
  });
  process.stdout.write(
    `${JSON.stringify({
      handler: typeof handler,
      beforeImport,
      afterImport,
      afterLookup: fetchLoaded(),
      outcome: result.outcome,
      reason: result.outcome === 'failed' ? result.failure.reason : undefined,
    })}\n`,
  );
};

void main();
