import { locationUrlSource, type ParameterReader } from './location-url';

describe('locationUrlSource', () => {
  const recording = (values: (string | undefined)[]) => {
    const calls: { name: string; maxAge: number; forceFetch: boolean }[] = [];
    const read: ParameterReader = async (name, options) => {
      calls.push({ name, ...options });
      return values.shift();
    };
    return { calls, read };
  };

  it('returns a fixed URL as configured, reading nothing', async () => {
    const { calls, read } = recording([]);
    const source = locationUrlSource({ kind: 'url', url: 'https://a.example/prod' }, read);
    expect(await source.current()).toBe('https://a.example/prod');
    expect(calls).toEqual([]);
  });

  it('reads the parameter with its max age, and forces a fresh read once after a failure', async () => {
    const { calls, read } = recording([
      'https://a.example/prod/',
      'https://b.example/prod',
      'https://b.example/prod',
    ]);
    const source = locationUrlSource(
      { kind: 'parameter', name: '/sm/prod/location/api-url', maxAgeSeconds: 60 },
      read,
    );
    expect(await source.current()).toBe('https://a.example/prod');
    source.invalidate();
    expect(await source.current()).toBe('https://b.example/prod');
    expect(await source.current()).toBe('https://b.example/prod');
    expect(calls.map((c) => c.forceFetch)).toEqual([false, true, false]);
    expect(calls.every((c) => c.name === '/sm/prod/location/api-url' && c.maxAge === 60)).toBe(
      true,
    );
  });

  it('rejects an empty or malformed value, naming the parameter', async () => {
    const { read } = recording([undefined, 'ftp://a.example/prod']);
    const source = locationUrlSource(
      { kind: 'parameter', name: '/sm/prod/location/api-url', maxAgeSeconds: 60 },
      read,
    );
    await expect(source.current()).rejects.toThrow(
      'SSM parameter /sm/prod/location/api-url has no value',
    );
    await expect(source.current()).rejects.toThrow(
      "SSM parameter /sm/prod/location/api-url must be an absolute http(s) URL, got 'ftp://a.example/prod'.",
    );
  });

  it('shares one read between calls that overlap (the read ahead at cold start and the first lookup)', async () => {
    let release: (value: string) => void = () => undefined;
    let reads = 0;
    const read: ParameterReader = () => {
      reads += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const source = locationUrlSource(
      { kind: 'parameter', name: '/sm/prod/location/api-url', maxAgeSeconds: 60 },
      read,
    );
    const ahead = source.current();
    const lookup = source.current();
    release('https://a.example/prod');
    expect(await Promise.all([ahead, lookup])).toEqual([
      'https://a.example/prod',
      'https://a.example/prod',
    ]);
    expect(reads).toBe(1);
    const later = source.current();
    release('https://b.example/prod');
    expect(await later).toBe('https://b.example/prod');
    expect(reads).toBe(2);
  });
});
