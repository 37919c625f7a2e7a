export { createLogSink, logFileName, toJsonLine, type LogSinkOptions } from './log-sink';
export { formatForConsole } from './console-format';
export {
  formatMetricsSummary,
  parseEmf,
  readMetrics,
  summarizeMetrics,
  type EmfMetric,
  type MetricSummary,
} from './emf';
export type { LogRecord, LogSink } from './types';
