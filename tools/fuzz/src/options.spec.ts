import { parseFuzzArgs as parseOrHelp, QUICK_SEED } from './options';

/** Parses arguments that do not ask for help. */
function parseFuzzArgs(argv: string[]) {
  const options = parseOrHelp(argv);
  if (!options) throw new Error('unexpected help');
  return options;
}

describe('parseFuzzArgs', () => {
  it('quick mode is the reproducible CI run: fixed seed, bounded examples, no stateful phase, no open-ended time budget', () => {
    const options = parseFuzzArgs(['--quick']);
    expect(options.mode).toBe('quick');
    expect(options.seed).toBe(QUICK_SEED);
    expect(options.maxExamples).toBe(10);
    expect(options.maxTimeSeconds).toBeUndefined();
    expect(options.phases).toEqual(['examples', 'coverage', 'fuzzing']);
    expect(options.assemblyDir).toBe('cdk.out');
  });

  it('full mode adds the stateful phase, a time budget per contract and a fresh seed small enough to print exactly', () => {
    const options = parseFuzzArgs([]);
    expect(options.mode).toBe('full');
    expect(Number.isInteger(options.seed) && options.seed >= 0 && options.seed < 2 ** 31).toBe(
      true,
    );
    expect(options.maxTimeSeconds).toBeGreaterThan(0);
    expect(options.timeoutSeconds).toBeGreaterThan(options.maxTimeSeconds ?? Infinity);
    expect(options.phases).toContain('stateful');
    expect(options.continueOnFailure).toBe(true);
  });

  it('flags override the preset; contracts accumulate', () => {
    const options = parseFuzzArgs([
      '--quick',
      '--seed',
      '7',
      '--max-examples',
      '3',
      '--contract',
      'auth',
      '--contract',
      'profile',
      '--phases',
      'coverage',
    ]);
    expect(options).toMatchObject({
      seed: 7,
      maxExamples: 3,
      contracts: ['auth', 'profile'],
      phases: ['coverage'],
    });
  });

  it('keeps the hard timeout above a longer schemathesis time budget', () => {
    expect(parseFuzzArgs(['--max-time', '400']).timeoutSeconds).toBe(800);
  });

  it('refuses malformed numbers, unknown phases and unknown flags', () => {
    expect(() => parseFuzzArgs(['--max-examples', '0'])).toThrow(
      '--max-examples must be a positive integer, got 0',
    );
    expect(() => parseFuzzArgs(['--seed=-1'])).toThrow('--seed must be a non-negative integer');
    expect(() => parseFuzzArgs(['--phases', 'examples,chaos'])).toThrow(
      '--phases takes examples, coverage, fuzzing, stateful',
    );
    expect(() => parseFuzzArgs(['--bogus'])).toThrow();
  });

  it('fuzzes the local runtime by default, a deployed stage with --stage, and given base URLs with --api', () => {
    expect(parseFuzzArgs(['--quick']).target).toEqual({ kind: 'local', stage: 'prod' });
    expect(parseFuzzArgs(['--stage', 'staging']).target).toEqual({
      kind: 'deployed',
      stage: 'staging',
      region: undefined,
    });
    expect(
      parseFuzzArgs(['--api', 'auth=https://a.example.com/staging/', '--stage', 'staging']).target,
    ).toEqual({
      kind: 'explicit',
      stage: 'staging',
      apis: new Map([['auth', 'https://a.example.com/staging']]),
    });
  });

  it('refuses --url, pointing to --stage and --api', () => {
    expect(() => parseFuzzArgs(['--url', 'http://example.com'])).toThrow(
      /--url is gone: .*--stage <name>.*--api auth=<url>/,
    );
  });

  it('returns undefined for --help', () => {
    expect(parseOrHelp(['-h'])).toBeUndefined();
  });
});
