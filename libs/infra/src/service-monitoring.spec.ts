import { Match, Template } from 'aws-cdk-lib/assertions';
import { NotesStack, notesLimits, testApp } from './__fixtures__/notes-stack';

type Alarm = { Properties: Record<string, any> };

describe('ServiceMonitoring', () => {
  const template = Template.fromStack(new NotesStack(testApp(), 'Notes'));
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Alarm[];
  const byName = (suffix: string) => alarms.find((a) => a.Properties['AlarmName'] === `sm-staging-notes-${suffix}`)?.Properties;
  const parameters = template.toJSON().Parameters as Record<string, { Default?: string }>;
  const topicParameter = Object.keys(parameters).find((id) => parameters[id]!.Default === '/sm/staging/platform/alert-topic-arn');

  it('sends every alarm and its return to OK to the alert topic read from SSM', () => {
    expect(topicParameter).toBeDefined();
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties['AlarmActions']).toEqual([{ Ref: topicParameter }]);
      expect(alarm.Properties['OKActions']).toEqual([{ Ref: topicParameter }]);
      expect(alarm.Properties['TreatMissingData']).toBe('notBreaching');
    }
  });

  it('watches the API, each function and each table', () => {
    const functions = Object.keys(notesLimits.functions);
    // 3 API alarms, 5 per function, 2 per table.
    expect(alarms).toHaveLength(3 + 5 * functions.length + 2);
    for (const name of ['api5xx', 'api4xx-rate', 'api-latency-p99', 'table-notes-throttled', 'table-notes-system-errors']) {
      expect(byName(name)).toBeDefined();
    }
    for (const fn of ['create-note', 'get-note', 'put-note', 'list-note-versions', 'authorize']) {
      for (const what of ['errors', 'throttles', 'concurrency', 'duration-p99', 'error-logs']) {
        expect(byName(`${fn}-${what}`)).toBeDefined();
      }
    }
  });

  it('fires at 80 % of reserved concurrency and at 80 % of the timeout', () => {
    expect(byName('get-note-concurrency')).toMatchObject({
      MetricName: 'ConcurrentExecutions',
      Statistic: 'Maximum',
      Threshold: 0.8 * notesLimits.functions['get-note'].reservedConcurrency,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(byName('get-note-duration-p99')).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 0.8 * notesLimits.functions['get-note'].timeoutSeconds * 1000,
    });
  });

  it('sets the API latency alarm where the capacity plan’s headroom runs out', () => {
    const slowest = Math.max(...Object.values(notesLimits.functions).map((f) => f.assumedP99Ms));
    expect(byName('api-latency-p99')).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: Math.ceil(slowest / notesLimits.headroom) });
    expect(byName('api4xx-rate')).toMatchObject({ MetricName: '4XXError', Statistic: 'Average', Threshold: 0.05 });
  });

  it('counts ERROR lines of the Powertools JSON logs and alarms on them', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.level = "ERROR" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'ServerlessMicroservices/Logs', MetricName: 'sm-staging-notes-get-note-error-lines', MetricValue: '1' })],
    });
    expect(byName('get-note-error-logs')).toMatchObject({ MetricName: 'sm-staging-notes-get-note-error-lines', Namespace: 'ServerlessMicroservices/Logs' });
  });

  it('alarms on DynamoDB throttled requests and system errors per table, summed with missing operations as 0', () => {
    const throttled = byName('table-notes-throttled')!;
    expect(JSON.stringify(throttled['Metrics'])).toContain('ThrottledRequests');
    expect(JSON.stringify(byName('table-notes-system-errors')!['Metrics'])).toContain('SystemErrors');
    // `a + b + …` would have no datapoint unless every operation had one (see sumOverOperations).
    for (const name of ['table-notes-throttled', 'table-notes-system-errors']) {
      const returned = (byName(name)!['Metrics'] as { Expression?: string; ReturnData?: boolean }[]).filter((m) => m.ReturnData !== false);
      expect(returned.map((m) => m.Expression)).toEqual(['SUM(FILL(METRICS(), 0))']);
    }
  });

  it('has a dashboard for the service', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'sm-staging-notes' });
  });
});
