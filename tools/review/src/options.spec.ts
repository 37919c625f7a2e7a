import { parseArgs } from './options';

describe('parseArgs', () => {
  it('defaults to typecheck and test on consumers and the infrastructure diff on', () => {
    expect(parseArgs(['--base', 'origin/main'])).toEqual({
      base: 'origin/main',
      json: false,
      consumerTargets: ['typecheck', 'test'],
      infra: true,
    });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    expect(
      parseArgs([
        '--base=abc',
        '--json',
        '--out',
        'r.md',
        '--consumer-targets',
        'typecheck',
        '--no-infra',
        '--base-assembly=b',
        '--head-assembly',
        'h',
      ]),
    ).toEqual({
      base: 'abc',
      json: true,
      out: 'r.md',
      consumerTargets: ['typecheck'],
      infra: false,
      baseAssembly: 'b',
      headAssembly: 'h',
    });
    expect(parseArgs(['--base', 'x', '--no-consumer-checks'])).toMatchObject({
      consumerTargets: [],
    });
  });

  it('refuses a missing --base and an unknown argument, in words', () => {
    expect(parseArgs(['--json'])).toBe('--base <git-ref> is required');
    expect(parseArgs(['--base', 'x', '--fast'])).toBe("unknown argument '--fast'");
    expect(parseArgs(['-h'])).toBe('help');
  });
});
