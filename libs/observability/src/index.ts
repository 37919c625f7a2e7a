export {
  createObservability,
  type Observability,
  type ObservabilityOptions,
} from './create-observability';
export {
  flushMetrics,
  withObservability,
  type InvocationOptions,
  type LambdaHandler,
} from './with-observability';
