import type { MetricFilterSpec } from '../metrics/log-metrics';
import type { StackArtifact } from './cloud-assembly';
import { AssemblyError } from './errors';
import type { IntrinsicResolver, Location } from './intrinsics';

/** A metric as an alarm or a query names it. */
export interface MetricRef {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** One entry of an alarm's `Metrics` (a metric-math alarm), as `MetricDataQuery`. */
export interface MetricQuerySpec {
  id: string;
  expression?: string;
  metricStat?: { metric: MetricRef; periodSeconds: number; stat: string; unit?: string };
  returnData: boolean;
  label?: string;
  periodSeconds?: number;
}

/** An `AWS::CloudWatch::Alarm`, resolved. */
export interface AlarmSpec {
  /** `<stack>/<logicalId>`. */
  id: string;
  stackName: string;
  alarmName: string;
  arn: string;
  description?: string;
  region: string;
  accountId: string;
  /** A single-metric alarm. */
  metric?: { metric: MetricRef; statistic: string; periodSeconds: number; unit?: string };
  /** A metric-math alarm: the queries, exactly one with `returnData`. */
  queries?: MetricQuerySpec[];
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
  /** `evaluate` (default) or `ignore`. */
  evaluateLowSampleCountPercentile?: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  okActions: string[];
  insufficientDataActions: string[];
  /** Features of this alarm the local evaluator does not implement (a startup warning names them). */
  unsupported: string[];
}

export interface DashboardSpec {
  id: string;
  stackName: string;
  dashboardName: string;
  /** The parsed DashboardBody. */
  body: { widgets?: unknown[]; start?: string; periodOverride?: string };
}

export interface TopicSpec {
  arn: string;
  topicName: string;
  stackName: string;
}

/** What CloudWatch and SNS would run from the assembly. */
export interface MonitoringModel {
  alarms: AlarmSpec[];
  metricFilters: MetricFilterSpec[];
  dashboards: DashboardSpec[];
  topics: TopicSpec[];
  /** Resources the local runtime does not evaluate (composite alarms, …): a startup warning each. */
  unsupported: string[];
}

const COMPARISONS = new Set([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);

/** Reads alarms, metric filters, dashboards and SNS topics, every intrinsic resolved. */
export function readMonitoring(
  resolver: IntrinsicResolver,
  stacks: StackArtifact[],
): MonitoringModel {
  const model: MonitoringModel = {
    alarms: [],
    metricFilters: [],
    dashboards: [],
    topics: [],
    unsupported: [],
  };
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const at = (property: string): Location => ({ stack, resource: logicalId, property });
      const props = resource.Properties ?? {};
      const id = `${stack.stackName}/${logicalId}`;
      switch (resource.Type) {
        case 'AWS::CloudWatch::Alarm':
          model.alarms.push(
            readAlarm(
              resolver,
              stack,
              logicalId,
              resolver.resolve(props, at('Properties')) as Record<string, unknown>,
            ),
          );
          break;
        case 'AWS::Logs::MetricFilter': {
          const resolved = resolver.resolve(props, at('Properties')) as Record<string, unknown>;
          model.metricFilters.push({
            id,
            logGroupName: String(resolved['LogGroupName']),
            filterPattern: String(resolved['FilterPattern'] ?? ''),
            transformations: (
              (resolved['MetricTransformations'] ?? []) as Record<string, unknown>[]
            ).map((t) => ({
              metricNamespace: String(t['MetricNamespace']),
              metricName: String(t['MetricName']),
              metricValue: String(t['MetricValue']),
              defaultValue: t['DefaultValue'] === undefined ? undefined : Number(t['DefaultValue']),
              unit: t['Unit'] === undefined ? undefined : String(t['Unit']),
              dimensions: t['Dimensions']
                ? Object.fromEntries(
                    (t['Dimensions'] as { Key: string; Value: string }[]).map((d) => [
                      d.Key,
                      d.Value,
                    ]),
                  )
                : undefined,
            })),
          });
          break;
        }
        case 'AWS::CloudWatch::Dashboard': {
          const text = resolver.resolveString(props['DashboardBody'], at('DashboardBody'));
          let body: DashboardSpec['body'];
          try {
            body = JSON.parse(text) as DashboardSpec['body'];
          } catch (error) {
            throw new AssemblyError(
              `stack ${stack.stackName}, resource ${logicalId}, property DashboardBody: not JSON once resolved (${(error as Error).message})`,
            );
          }
          model.dashboards.push({
            id,
            stackName: stack.stackName,
            dashboardName: resolver.physicalId(stack, logicalId),
            body,
          });
          break;
        }
        case 'AWS::SNS::Topic': {
          const arn = resolver.physicalId(stack, logicalId);
          model.topics.push({
            arn,
            topicName: arn.slice(arn.lastIndexOf(':') + 1),
            stackName: stack.stackName,
          });
          break;
        }
        case 'AWS::CloudWatch::CompositeAlarm':
        case 'AWS::CloudWatch::AnomalyDetector':
        case 'AWS::CloudWatch::MetricStream':
          model.unsupported.push(`${id} (${resource.Type}) is not evaluated locally`);
          break;
      }
    }
  }
  return model;
}

function readAlarm(
  resolver: IntrinsicResolver,
  stack: StackArtifact,
  logicalId: string,
  p: Record<string, unknown>,
): AlarmSpec {
  const alarmName = resolver.physicalId(stack, logicalId);
  const region = resolver.region(stack);
  const accountId = resolver.accountId(stack);
  const unsupported: string[] = [];
  const strings = (value: unknown) => ((value ?? []) as unknown[]).map(String);
  const dims = (value: unknown) =>
    Object.fromEntries(
      ((value ?? []) as { Name: string; Value: unknown }[]).map((d) => [d.Name, String(d.Value)]),
    );

  let metric: AlarmSpec['metric'];
  let queries: MetricQuerySpec[] | undefined;
  let periodSeconds = Number(p['Period'] ?? 60);
  if (Array.isArray(p['Metrics'])) {
    queries = (p['Metrics'] as Record<string, unknown>[]).map((q) => {
      const stat = q['MetricStat'] as Record<string, unknown> | undefined;
      const m = stat?.['Metric'] as Record<string, unknown> | undefined;
      if (q['Expression'] === undefined && !stat)
        unsupported.push(`query ${String(q['Id'])} has neither Expression nor MetricStat`);
      return {
        id: String(q['Id']),
        expression: q['Expression'] === undefined ? undefined : String(q['Expression']),
        metricStat: stat
          ? {
              metric: {
                namespace: String(m?.['Namespace']),
                name: String(m?.['MetricName']),
                dimensions: dims(m?.['Dimensions']),
              },
              periodSeconds: Number(stat['Period']),
              stat: String(stat['Stat']),
              unit: stat['Unit'] === undefined ? undefined : String(stat['Unit']),
            }
          : undefined,
        returnData: q['ReturnData'] === undefined ? true : Boolean(q['ReturnData']),
        label: q['Label'] === undefined ? undefined : String(q['Label']),
        periodSeconds: q['Period'] === undefined ? undefined : Number(q['Period']),
      };
    });
    const returned = queries.filter((q) => q.returnData);
    if (returned.length !== 1)
      unsupported.push(`${returned.length} queries return data (CloudWatch requires exactly one)`);
    periodSeconds =
      returned[0]?.metricStat?.periodSeconds ??
      returned[0]?.periodSeconds ??
      queries.find((q) => q.metricStat)?.metricStat?.periodSeconds ??
      60;
  } else {
    const statistic = p['ExtendedStatistic'] ?? p['Statistic'];
    if (statistic === undefined) unsupported.push('no Statistic or ExtendedStatistic');
    metric = {
      metric: {
        namespace: String(p['Namespace']),
        name: String(p['MetricName']),
        dimensions: dims(p['Dimensions']),
      },
      statistic: String(statistic ?? 'Average'),
      periodSeconds,
      unit: p['Unit'] === undefined ? undefined : String(p['Unit']),
    };
  }
  if (p['ThresholdMetricId'] !== undefined)
    unsupported.push('ThresholdMetricId (anomaly detection band)');
  const comparisonOperator = String(p['ComparisonOperator']);
  if (!COMPARISONS.has(comparisonOperator))
    unsupported.push(`ComparisonOperator ${comparisonOperator}`);
  const treat = String(p['TreatMissingData'] ?? 'missing');
  return {
    id: `${stack.stackName}/${logicalId}`,
    stackName: stack.stackName,
    alarmName,
    arn: `arn:${resolver.partition}:cloudwatch:${region}:${accountId}:alarm:${alarmName}`,
    description: p['AlarmDescription'] === undefined ? undefined : String(p['AlarmDescription']),
    region,
    accountId,
    metric,
    queries,
    periodSeconds,
    evaluationPeriods: Number(p['EvaluationPeriods'] ?? 1),
    datapointsToAlarm: Number(p['DatapointsToAlarm'] ?? p['EvaluationPeriods'] ?? 1),
    threshold: Number(p['Threshold'] ?? 0),
    comparisonOperator,
    treatMissingData: (['breaching', 'notBreaching', 'ignore', 'missing'].includes(treat)
      ? treat
      : 'missing') as AlarmSpec['treatMissingData'],
    evaluateLowSampleCountPercentile:
      p['EvaluateLowSampleCountPercentile'] === undefined
        ? undefined
        : String(p['EvaluateLowSampleCountPercentile']),
    actionsEnabled: p['ActionsEnabled'] === undefined ? true : Boolean(p['ActionsEnabled']),
    alarmActions: strings(p['AlarmActions']),
    okActions: strings(p['OKActions']),
    insufficientDataActions: strings(p['InsufficientDataActions']),
    unsupported,
  };
}
