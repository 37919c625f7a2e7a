import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ContractRestApi } from './contract-rest-api';
import { InfraConfigError } from './errors';
import { kebabCase, pascalCase } from './names';
import { ssmParameterNames } from './parameters';
import { METRICS_NAMESPACE, type ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';
import type { StageName } from './stages';

/** Namespace of the metrics counted from the functions' ERROR log lines. */
export const LOG_METRICS_NAMESPACE = `${METRICS_NAMESPACE}/Logs`;

/** Alarm thresholds; every one has a default derived from the service's limits or stated here. */
export interface MonitoringThresholds {
  /**
   * 5XX responses of the API per 5 minutes. Any 5XX is an outage for some client.
   * @default 1
   */
  readonly api5xxCount?: number;
  /**
   * Share of requests answered 4XX (including 429 throttling) over 5 minutes, in 2 of 3 periods.
   * @default 0.05
   */
  readonly api4xxRate?: number;
  /**
   * p99 latency of the API in ms, in 2 of 3 five-minute periods.
   * @default - the largest assumed p99 of the API's functions divided by the headroom: beyond it
   *   the capacity plan's reserve is used up and Lambda starts to throttle at the stage rate
   */
  readonly apiLatencyP99Ms?: number;
  /**
   * Share of a function's reserved concurrency at which the concurrency alarm fires.
   * @default 0.8
   */
  readonly concurrencyShare?: number;
  /**
   * Share of a function's timeout its p99 duration may reach.
   * @default 0.8
   */
  readonly durationShare?: number;
}

/** Properties of a {@link ServiceMonitoring}. */
export interface ServiceMonitoringProps {
  /** Service name, used in alarm and dashboard names (`sm-<stage>-<service>-…`). */
  readonly service: string;
  /**
   * The deployment stage: part of every alarm, dashboard and metric name, so two stages can share
   * an account and region without overwriting each other's alarms.
   */
  readonly stage: StageName;
  /** The service's API. */
  readonly api: ContractRestApi;
  /** Every function of the service. */
  readonly functions: readonly ServiceFunction[];
  /** Every table of the service. */
  readonly tables: readonly ServiceTable[];
  /** The headroom of the service's limits, for the default latency threshold. */
  readonly headroom: number;
  /**
   * Where alarms (and their return to OK) are sent.
   * @default - the platform's alert topic, its ARN read from the SSM parameter
   *   `/sm/<stage>/platform/alert-topic-arn` at deployment (no CloudFormation export)
   */
  readonly alertTopic?: sns.ITopic;
  /** @default - see {@link MonitoringThresholds} */
  readonly thresholds?: MonitoringThresholds;
}

/** DynamoDB operations the services use; an alarm's math expression may hold at most 10 metrics. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
];

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms and a dashboard for one service: API 5XX, 4XX rate and p99 latency; per function errors,
 * throttles, concurrency near its reservation, p99 duration near its timeout and ERROR log lines
 * (a metric filter on the Powertools JSON logs); per table throttled requests and system errors.
 * Every alarm notifies the alert topic when it fires and when it returns to OK. Missing data
 * (no traffic) never fires an alarm.
 *
 * Construct ids are a contract: `AlertTopic`, `Dashboard`, alarms by what they watch.
 */
export class ServiceMonitoring extends Construct {
  /** Every alarm created, for tests and for composite alarms. */
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The API's 5XX alarm: any 5XX is an outage for some client. */
  readonly api5xxAlarm: cloudwatch.Alarm;
  private readonly functionAlarms = new Map<ServiceFunction, cloudwatch.Alarm[]>();
  readonly dashboard: cloudwatch.Dashboard;
  readonly alertTopic: sns.ITopic;
  private readonly service: string;
  /** `sm-<stage>-<service>`: the prefix of every name this construct gives. */
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { service } = props;
    const thresholds = props.thresholds ?? {};
    const concurrencyShare = thresholds.concurrencyShare ?? 0.8;
    const durationShare = thresholds.durationShare ?? 0.8;
    for (const [name, share] of Object.entries({ concurrencyShare, durationShare })) {
      if (!(share > 0 && share <= 1)) throw new InfraConfigError(`${this.node.path}: thresholds.${name} must be in (0, 1], got ${share}`);
    }
    if (props.functions.length === 0) throw new InfraConfigError(`${this.node.path}: give the service's functions to monitor`);
    this.service = service;
    this.prefix = `sm-${props.stage}-${service}`;
    this.alertTopic =
      props.alertTopic ??
      sns.Topic.fromTopicArn(this, 'AlertTopic', ssm.StringParameter.valueForStringParameter(this, ssmParameterNames(props.stage).alertTopicArn));

    // API
    // The API's metrics by its name and stage as literals, not through the Stage resource (CDK's
    // stage.metric…() refers to it): the 5XX alarm stops deployments (SafeDeployment), so a live
    // alias's update depends on it, and the Stage depends on the methods that call that alias.
    // Referring to the Stage would close the loop; CloudFormation refuses circular dependencies.
    const apiMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.api.api.restApiName, Stage: props.api.stageName },
        statistic,
        period: FIVE_MINUTES,
      });
    const api5xx = apiMetric('5XXError', 'Sum');
    const api4xxRate = apiMetric('4XXError', 'Average');
    const apiLatency = apiMetric('Latency', 'p99');
    const apiCount = apiMetric('Count', 'Sum');
    const latencyThreshold =
      thresholds.apiLatencyP99Ms ?? Math.ceil(Math.max(...props.functions.map((fn) => fn.limits.assumedP99Ms)) / props.headroom);
    this.api5xxAlarm = this.alarm('Api5xx', api5xx, thresholds.api5xxCount ?? 1, 'API answered 5XX (an outage for those clients)');
    this.alarm('Api4xxRate', api4xxRate, thresholds.api4xxRate ?? 0.05, 'share of 4XX answers (validation, auth, 429 throttling) is high', {
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.alarm('ApiLatencyP99', apiLatency, latencyThreshold, 'API p99 latency exceeds what the capacity plan assumes', {
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // Functions
    const functionWidgets: cloudwatch.IWidget[] = [];
    for (const fn of props.functions) {
      const key = pascalCase(fn.entry);
      const f = fn.function;
      const errors = f.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES });
      const throttles = f.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES });
      const concurrency = f.metric('ConcurrentExecutions', { statistic: 'Maximum', period: Duration.minutes(1) });
      const duration = f.metricDuration({ statistic: 'p99', period: FIVE_MINUTES });
      const reserved = fn.limits.reservedConcurrency;
      const timeoutMs = fn.limits.timeoutSeconds * 1000;

      const filter = new logs.MetricFilter(this, `${key}ErrorLogFilter`, {
        logGroup: fn.logGroup,
        // Powertools writes one JSON object per line with `level`; ERROR lines are what the talk's
        // "Unhandled" filter caught: failures a handler logged, whether or not it answered 5XX.
        filterPattern: logs.FilterPattern.stringValue('$.level', '=', 'ERROR'),
        metricNamespace: LOG_METRICS_NAMESPACE,
        metricName: `${this.prefix}-${fn.entry}-error-lines`,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      });
      const errorLines = filter.metric({ statistic: 'Sum', period: FIVE_MINUTES });

      this.functionAlarms.set(fn, [
        this.alarm(`${key}Errors`, errors, 1, `${fn.entry} invocations failed`),
        this.alarm(`${key}Throttles`, throttles, 1, `${fn.entry} was throttled (behind API Gateway each throttle is a 500 to a client)`),
        this.alarm(`${key}Concurrency`, concurrency, concurrencyShare * reserved, `${fn.entry} concurrency reached ${pct(concurrencyShare)} of its reserved ${reserved}`),
        this.alarm(`${key}DurationP99`, duration, durationShare * timeoutMs, `${fn.entry} p99 duration reached ${pct(durationShare)} of its ${fn.limits.timeoutSeconds} s timeout`),
        this.alarm(`${key}ErrorLogs`, errorLines, 1, `${fn.entry} logged ERROR lines`),
      ]);

      functionWidgets.push(
        new cloudwatch.GraphWidget({
          title: `${fn.entry}: invocations, errors, throttles`,
          left: [f.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES }), errors, throttles, errorLines],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: `${fn.entry}: p99 duration (ms)`,
          left: [duration],
          leftAnnotations: [{ value: timeoutMs, label: 'timeout' }, { value: fn.limits.assumedP99Ms, label: 'assumed p99' }],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: `${fn.entry}: concurrency`,
          left: [concurrency],
          leftAnnotations: [{ value: reserved, label: 'reserved' }],
          width: 8,
        }),
      );
    }

    // Tables
    const tableWidgets: cloudwatch.IWidget[] = [];
    for (const table of props.tables) {
      const key = `Table${pascalCase(table.definition.id)}`;
      const throttled = sumOverOperations(table, 'ThrottledRequests', 'throttled requests, all operations');
      const systemErrors = sumOverOperations(table, 'SystemErrors', 'system errors, all operations');
      this.alarm(`${key}Throttled`, throttled, 1, `table ${table.definition.id} throttled requests`);
      this.alarm(`${key}SystemErrors`, systemErrors, 1, `table ${table.definition.id} returned DynamoDB system errors`);
      tableWidgets.push(
        // One expression per graph: both sum the same per-operation metrics (ids would collide).
        new cloudwatch.GraphWidget({ title: `table ${table.definition.id}: throttled requests`, left: [throttled], width: 8 }),
        new cloudwatch.GraphWidget({ title: `table ${table.definition.id}: system errors`, left: [systemErrors], width: 8 }),
        new cloudwatch.GraphWidget({
          title: `table ${table.definition.id}: consumed capacity`,
          left: [table.table.metricConsumedReadCapacityUnits({ statistic: 'Sum', period: FIVE_MINUTES }), table.table.metricConsumedWriteCapacityUnits({ statistic: 'Sum', period: FIVE_MINUTES })],
          width: 8,
        }),
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.prefix,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: `# ${service}\nAPI, functions and tables of the ${service} service. Alarms go to the platform alert topic.`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and errors', left: [apiCount, api5xx, apiMetric('4XXError', 'Sum')], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API p99 latency (ms)', left: [apiLatency], leftAnnotations: [{ value: latencyThreshold, label: 'alarm' }], width: 8 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8 }),
    );
    this.dashboard.addWidgets(...functionWidgets);
    if (tableWidgets.length > 0) this.dashboard.addWidgets(...tableWidgets);
  }

  /**
   * The alarms that stop a deployment of `fn` and roll it back: every alarm on the function
   * (errors, throttles, concurrency, p99 duration, ERROR log lines) and its API's 5XX alarm.
   */
  rollbackAlarms(fn: ServiceFunction): cloudwatch.Alarm[] {
    const own = this.functionAlarms.get(fn);
    if (!own) throw new InfraConfigError(`${this.node.path}: ${fn.node.path} is not one of the monitored functions`);
    return [...own, this.api5xxAlarm];
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    what: string,
    options: { evaluationPeriods?: number; datapointsToAlarm?: number } = {},
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmName: `${this.prefix}-${kebabCase(id)}`,
      alarmDescription: `${this.service}: ${what}. Threshold ${threshold}. See the ${this.prefix} dashboard.`,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? 1,
      // No data means no traffic (or no errors): never a reason to page.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(this.alertTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/**
 * The sum of a per-operation DynamoDB metric over the operations the services use, with every
 * missing datapoint filled with 0. DynamoDB publishes ThrottledRequests and SystemErrors only when
 * they happen, and only for the operation concerned; in metric math `a + b` has no value where `a`
 * has none, so CDK's `metricThrottledRequestsForOperations` (`getitem + putitem + …`) has a
 * datapoint only in a period where every operation was throttled — its alarm can never fire on a
 * throttle of one operation. And alarms on AWS/DynamoDB metrics ignore missing data whatever
 * TreatMissingData says, so a FILL-less alarm would also never return to OK. Found by the local
 * runtime's alarm evaluation (tools/local-runtime, alarms).
 */
function sumOverOperations(table: ServiceTable, metricName: string, label: string): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const operation of TABLE_OPERATIONS) {
    usingMetrics[operation.toLowerCase()] = table.table.metric(metricName, { dimensionsMap: { TableName: table.table.tableName, Operation: operation }, statistic: 'Sum', period: FIVE_MINUTES });
  }
  return new cloudwatch.MathExpression({ expression: 'SUM(FILL(METRICS(), 0))', usingMetrics, label, period: FIVE_MINUTES });
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
