import { randomUUID } from 'node:crypto';
import type { AlarmSpec } from '../assembly';
import type { AlarmState } from './evaluate';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-north-1': 'EU (Stockholm)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
};

/** What SNS delivers to a topic's subscribers when CloudWatch publishes an alarm's state change. */
export interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject: string;
  /** The alarm's JSON, as a string (as SNS delivers it). */
  Message: string;
  Timestamp: string;
  SignatureVersion: '1';
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
}

/**
 * The notification for a state change, in the shape CloudWatch publishes to SNS ("Alarm events
 * and Amazon SNS": AlarmName, NewStateValue, NewStateReason, Trigger, …) inside SNS's envelope.
 * The signature fields are placeholders: nothing is signed locally.
 */
export function alarmNotification(
  alarm: AlarmSpec,
  topicArn: string,
  oldState: AlarmState,
  newState: AlarmState,
  reason: string,
  at: number,
): SnsNotification {
  const region = REGION_NAMES[alarm.region] ?? alarm.region;
  const trigger: Record<string, unknown> = alarm.metric
    ? {
        MetricName: alarm.metric.metric.name,
        Namespace: alarm.metric.metric.namespace,
        StatisticType: /^p\d/i.test(alarm.metric.statistic) ? 'ExtendedStatistic' : 'Statistic',
        Statistic: /^p\d/i.test(alarm.metric.statistic)
          ? alarm.metric.statistic
          : alarm.metric.statistic.toUpperCase(),
        Unit: alarm.metric.unit ?? null,
        Dimensions: Object.entries(alarm.metric.metric.dimensions).map(([name, value]) => ({
          value,
          name,
        })),
        Period: alarm.periodSeconds,
      }
    : {
        Metrics: (alarm.queries ?? []).map((q) => ({
          Id: q.id,
          ...(q.expression ? { Expression: q.expression } : {}),
          ...(q.metricStat
            ? {
                MetricStat: {
                  Metric: {
                    Namespace: q.metricStat.metric.namespace,
                    MetricName: q.metricStat.metric.name,
                    Dimensions: Object.entries(q.metricStat.metric.dimensions).map(
                      ([name, value]) => ({ value, name }),
                    ),
                  },
                  Period: q.metricStat.periodSeconds,
                  Stat: q.metricStat.stat,
                },
              }
            : {}),
          ReturnData: q.returnData,
          ...(q.label ? { Label: q.label } : {}),
        })),
      };
  Object.assign(trigger, {
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? '',
  });
  const message = {
    AlarmName: alarm.alarmName,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: alarm.accountId,
    AlarmConfigurationUpdatedTimestamp: new Date(at).toISOString().replace('Z', '+0000'),
    NewStateValue: newState,
    NewStateReason: reason,
    StateChangeTime: new Date(at).toISOString().replace('Z', '+0000'),
    Region: region,
    AlarmArn: alarm.arn,
    OldStateValue: oldState,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    Trigger: trigger,
  };
  const subject = `${newState}: "${alarm.alarmName}" in ${region}`;
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    // SNS subjects are at most 100 characters; CloudWatch shortens the alarm name to fit.
    Subject: subject.length <= 100 ? subject : `${subject.slice(0, 97)}...`,
    Message: JSON.stringify(message),
    Timestamp: new Date(at).toISOString(),
    SignatureVersion: '1',
    Signature: 'local-runtime: not signed',
    SigningCertURL: '',
    UnsubscribeURL: '',
  };
}
