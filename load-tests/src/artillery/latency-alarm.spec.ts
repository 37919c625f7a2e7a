import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalSystem } from '@sm/local-runtime';
import { apiLatencyP99Ms } from './latency-alarm';

type Api = LocalSystem['apis'][number];

/** A one-stack assembly whose template holds the given alarms, as CDK lays it out. */
function assemblyWith(alarms: Record<string, unknown>[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'load-alarm-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      artifacts: {
        Svc: {
          type: 'aws:cloudformation:stack',
          properties: { templateFile: 'Svc.template.json', stackName: 'Staging-SmLocation' },
        },
      },
    }),
  );
  const resources = Object.fromEntries(
    alarms.map((properties, i) => [
      `Alarm${i}`,
      { Type: 'AWS::CloudWatch::Alarm', Properties: properties },
    ]),
  );
  writeFileSync(join(dir, 'Svc.template.json'), JSON.stringify({ Resources: resources }));
  return dir;
}

const system = {
  apis: [
    {
      stackName: 'Staging-SmLocation',
      name: 'sm-staging-location',
      methods: [{ httpMethod: 'GET', resourcePath: '/loc/{userId}' }],
    } as unknown as Api,
  ],
};
const latency = (threshold: number, apiName = 'sm-staging-location') => ({
  Namespace: 'AWS/ApiGateway',
  MetricName: 'Latency',
  ExtendedStatistic: 'p99',
  Threshold: threshold,
  Dimensions: [
    { Name: 'ApiName', Value: apiName },
    { Name: 'Stage', Value: { Ref: 'Stage' } },
  ],
});

describe('apiLatencyP99Ms', () => {
  const scenario = { method: 'GET' as const, resourcePath: '/loc/{userId}' };

  it("reads the threshold of the API's own p99 latency alarm from its stack's template", () => {
    const dir = assemblyWith([
      { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Sum', Threshold: 1 },
      latency(999, 'sm-staging-profile'),
      latency(250),
    ]);
    expect(apiLatencyP99Ms(dir, system, scenario)).toBe(250);
  });

  it('has nothing to say for an API without such an alarm, or a method no API serves', () => {
    expect(
      apiLatencyP99Ms(assemblyWith([latency(999, 'sm-staging-profile')]), system, scenario),
    ).toBeUndefined();
    expect(
      apiLatencyP99Ms(assemblyWith([latency(250)]), system, {
        method: 'PUT',
        resourcePath: '/nowhere',
      }),
    ).toBeUndefined();
  });
});
