import type { Context } from 'aws-lambda';
import type { Observability } from './create-observability';

/** A Lambda handler in its async form. */
export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

/** Options of {@link withObservability}. */
export interface InvocationOptions<TEvent> {
  /**
   * Finds the correlation id of an event, added to every log line as `correlation_id`.
   * @default the Lambda request id (`context.awsRequestId`)
   */
  readonly correlationId?: (event: TEvent, context: Context) => string | undefined;
  /** Name of the trace subsegment wrapping the invocation. @default `## ${context.functionName}` */
  readonly segmentName?: string;
}

/**
 * Wraps any Lambda handler (API proxy, TOKEN authorizer, …) with the per-invocation glue:
 * Lambda context and correlation id on every log line, the cold-start metric, a trace subsegment
 * when X-Ray is active, and stored metrics flushed when the invocation ends, success or failure.
 * Errors pass through unchanged: mapping them is the caller's job.
 */
export const withObservability =
  <TEvent, TResult>(
    observability: Observability,
    handler: LambdaHandler<TEvent, TResult>,
    options: InvocationOptions<TEvent> = {},
  ): LambdaHandler<TEvent, TResult> =>
  async (event, context) => {
    const { logger, metrics } = observability;
    logger.addContext(context);
    logger.setCorrelationId(options.correlationId?.(event, context) ?? context.awsRequestId);
    metrics.captureColdStartMetric(context.functionName);
    const segment = openSubsegment(
      observability,
      options.segmentName ?? `## ${context.functionName}`,
    );
    try {
      return await handler(event, context);
    } catch (error) {
      segment?.fail(error);
      throw error;
    } finally {
      segment?.close();
      flushMetrics(observability);
      logger.resetKeys();
    }
  };

/**
 * Publishes the metrics stored during an invocation as EMF. Without stored metrics it does
 * nothing, so an invocation that recorded none neither throws nor logs a warning.
 */
export const flushMetrics = ({ metrics }: Observability): void => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};

interface OpenSubsegment {
  fail(error: unknown): void;
  close(): void;
}

/**
 * Opens a subsegment under Lambda's facade segment. Tracing is skipped when disabled or when no
 * trace header reached the process (`_X_AMZN_TRACE_ID`), e.g. in a local runtime that sets
 * `AWS_EXECUTION_ENV`: there is no X-Ray daemon to report to and nothing must crash.
 */
const openSubsegment = (observability: Observability, name: string): OpenSubsegment | undefined => {
  if (!observability.tracingEnabled || !process.env._X_AMZN_TRACE_ID) return undefined;
  const { tracer } = observability;
  const parent = tracer.getSegment();
  if (parent === undefined) return undefined;
  const subsegment = parent.addNewSubsegment(name);
  tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  // The handler's result is never added to the trace: results carry bearer tokens (POST /tokens)
  // and personal data, and anyone with trace access could read them. ServiceFunction also sets
  // POWERTOOLS_TRACER_CAPTURE_RESPONSE=false, for anything that would call the Tracer's own capture.
  return {
    fail: (error) =>
      tracer.addErrorAsMetadata(error instanceof Error ? error : new Error(String(error))),
    close: () => {
      subsegment.close();
      tracer.setSegment(parent);
    },
  };
};
