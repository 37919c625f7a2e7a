export {
  createObservability,
  TRACER_BUNDLE_FILE,
  type Observability,
  type ObservabilityOptions,
} from './create-observability';
export {
  flushMetrics,
  withObservability,
  type InvocationOptions,
  type LambdaHandler,
} from './with-observability';
