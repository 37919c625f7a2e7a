export { Aggregate, RELATIVE_ERROR, type SerializedAggregate } from './histogram';
export {
  MetricStore,
  Series,
  type Datapoint,
  type MetricIdentity,
  type MetricStoreOptions,
} from './metric-store';
export {
  statisticFn,
  percentileOf,
  UnsupportedStatisticError,
  type StatisticFn,
} from './statistics';
export { gatewayMetrics, type GatewayObserver } from './gateway-metrics';
export { observeLambda } from './lambda-metrics';
export { dynamoMetricsLayer, indexWriteUnits } from './dynamodb-metrics';
export { observeLogs, type MetricFilterSpec } from './log-metrics';
export {
  compileFilterPattern,
  fieldValue,
  FilterPatternError,
  type CompiledPattern,
  type MatchFields,
} from './filter-pattern';
export { itemSize } from './item-size';
export * as namespaces from './namespaces';
