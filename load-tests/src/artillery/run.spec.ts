import { artilleryArgs, artilleryEnv } from './run';

describe('the Artillery command line', () => {
  it('runs a script on this machine with artillery run, keeping the JSON report', () => {
    expect(
      artilleryArgs({
        scriptPath: '/s/script.yml',
        reportPath: '/s/report.json',
        platform: 'local',
      }),
    ).toEqual(['run', '--output', '/s/report.json', '/s/script.yml']);
  });

  it('spreads it over Fargate tasks with artillery run-fargate --count N in the given region', () => {
    expect(
      artilleryArgs({
        scriptPath: '/s/script.yml',
        reportPath: '/s/report.json',
        platform: 'fargate',
        count: 8,
        region: 'eu-west-1',
      }),
    ).toEqual([
      'run-fargate',
      '--count',
      '8',
      '--region',
      'eu-west-1',
      '--output',
      '/s/report.json',
      '/s/script.yml',
    ]);
    expect(() =>
      artilleryArgs({ scriptPath: 's', reportPath: 'r', platform: 'fargate', count: 2 }),
    ).toThrow('artillery run-fargate needs a region');
  });

  it('turns telemetry and browser downloads off whatever the caller set', () => {
    const env = artilleryEnv(
      { SM_LOAD_ACK_FILE: '/tmp/a' },
      { ARTILLERY_DISABLE_TELEMETRY: 'false', PATH: '/bin' },
    );
    expect(env).toMatchObject({
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      SM_LOAD_ACK_FILE: '/tmp/a',
      PATH: '/bin',
    });
  });
});
