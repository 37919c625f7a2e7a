import { failureOutput } from './checks';

describe('failureOutput', () => {
  it("keeps the task's own output and drops Nx's closing summary", () => {
    const output = [
      '> nx run profile:typecheck',
      '',
      "apps/profile/src/clients/location-lookup.ts(26,23): error TS2339: Property 'updatedAt' does not exist",
      'Warning: command "tsc -p apps/profile/tsconfig.json --noEmit" exited with non-zero status code',
      '',
      ' NX   Running target typecheck for project profile and 2 tasks it depends on failed',
      '',
      'Failed tasks:',
      '- profile:typecheck',
    ].join('\n');

    expect(failureOutput(output)).toBe(
      [
        '> nx run profile:typecheck',
        '',
        "apps/profile/src/clients/location-lookup.ts(26,23): error TS2339: Property 'updatedAt' does not exist",
        'Warning: command "tsc -p apps/profile/tsconfig.json --noEmit" exited with non-zero status code',
      ].join('\n'),
    );
  });

  it("starts at the failed task's own header: the tasks it depends on printed before it", () => {
    const output = [
      ' NX   Running target typecheck for project profile and 2 tasks it depends on:',
      '> nx run contract-location:generate  [local cache]',
      'contract-location: 3 files written',
      '> nx run profile:typecheck',
      "error TS2339: Property 'updatedAt' does not exist",
      ' NX   Running target typecheck for project profile and 2 tasks it depends on failed',
    ].join('\n');

    expect(failureOutput(output, 'profile:typecheck')).toBe(
      "> nx run profile:typecheck\nerror TS2339: Property 'updatedAt' does not exist",
    );
  });

  it('keeps the last 40 lines when there is no Nx summary', () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');

    expect(failureOutput(output).split('\n')).toEqual(
      Array.from({ length: 40 }, (_, i) => `line ${i + 10}`),
    );
  });
});
