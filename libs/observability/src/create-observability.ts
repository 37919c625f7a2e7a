import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

type LogLevel = NonNullable<ConstructorParameters<typeof Logger>[0]>['logLevel'];

/** Options of {@link createObservability}. Everything defaults to the `POWERTOOLS_*` environment. */
export interface ObservabilityOptions {
  /**
   * Service name on every log line, metric and trace.
   * @default process.env.POWERTOOLS_SERVICE_NAME (read by Powertools)
   */
  readonly serviceName?: string;
  /**
   * CloudWatch metrics namespace, one per service.
   * @default process.env.POWERTOOLS_METRICS_NAMESPACE (read by Powertools)
   */
  readonly namespace?: string;
  /**
   * Minimum log level.
   * @default process.env.POWERTOOLS_LOG_LEVEL, else INFO (read by Powertools)
   */
  readonly logLevel?: LogLevel;
  /**
   * Whether to trace with X-Ray. Even when true, Powertools keeps tracing off outside Lambda
   * (no `AWS_EXECUTION_ENV`) and under SAM/Amplify.
   * @default true unless POWERTOOLS_TRACE_ENABLED is 'false' or POWERTOOLS_TRACE_DISABLED is 'true'
   */
  readonly tracingEnabled?: boolean;
}

/** The Powertools trio of one service, plus the business-metric helper. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * The Powertools Tracer, created on first access: it loads the X-Ray SDK, which costs tens of
   * milliseconds of cold start, so nothing touches it while tracing is off.
   */
  readonly tracer: Tracer;
  /** Whether invocations are traced (enabled by options/environment and running in Lambda). */
  readonly tracingEnabled: boolean;
  /**
   * Instruments an AWS SDK v3 client when tracing is enabled; otherwise returns it unchanged
   * without loading the X-Ray SDK. Pass the observability object itself as
   * `createDocumentClient({ tracer: observability })`.
   */
  captureAWSv3Client<T>(client: T): T;
  /**
   * Counts one business event (`UserRegistered`, `TokenIssued`, `LocationUpdated`,
   * `LocationLookupFailed`, …) in the service's namespace. It is buffered and published as EMF
   * when the invocation ends (see `withObservability`).
   */
  countMetric(name: string, value?: number): void;
}

/**
 * Creates the logger, metrics and tracer of one service. Call it once per Lambda module (at cold
 * start) and share the result between the handler and the code it calls.
 */
export const createObservability = (options: ObservabilityOptions = {}): Observability => {
  const logger = new Logger({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
  });
  const metrics = new Metrics({
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
  });
  // Powertools itself keeps tracing off outside Lambda; deciding that here too lets an
  // off-AWS process skip loading the X-Ray SDK altogether.
  const wanted =
    (options.tracingEnabled ?? tracingEnabledByEnvironment()) &&
    Boolean(process.env.AWS_EXECUTION_ENV);
  let tracer: Tracer | undefined;
  const getTracer = (): Tracer => {
    tracer ??= new (loadTracer())({
      enabled: wanted,
      ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    });
    return tracer;
  };
  const tracingEnabled = (): boolean => wanted && getTracer().isTracingEnabled();
  return {
    logger,
    metrics,
    get tracer() {
      return getTracer();
    },
    get tracingEnabled() {
      return tracingEnabled();
    },
    captureAWSv3Client: (client) =>
      tracingEnabled() ? getTracer().captureAWSv3Client(client) : client,
    countMetric: (name, value = 1) => {
      metrics.addMetric(name, MetricUnit.Count, value);
    },
  };
};

/**
 * File name of the tracer bundle (`nx run observability:build`), which each service ships beside
 * its functions' bundles and every function's asset includes (ServiceFunction in `@sm/infra`).
 */
export const TRACER_BUNDLE_FILE = 'tracer.js';

const TRACER_PACKAGE = '@aws-lambda-powertools/tracer';

/**
 * Loads the Powertools Tracer on demand, see {@link Observability.tracer}. A function's bundle does
 * not contain it: the Tracer and the X-Ray SDK (some 150 KB minified) are `tracer.js` beside the
 * bundle, so a cold start with tracing off does not even parse them. In a bundle `__dirname` is the
 * bundle's directory; from source (Jest, tsx) it is this one, which has no `tracer.js`, and the
 * package is loaded instead. The specifiers are variables so esbuild leaves both requires to run
 * time rather than bundling the package.
 */
const loadTracer = (): typeof Tracer => {
  const besideBundle = join(__dirname, TRACER_BUNDLE_FILE);
  const specifier = existsSync(besideBundle) ? besideBundle : TRACER_PACKAGE;
  try {
    return (require(specifier) as typeof import('@aws-lambda-powertools/tracer')).Tracer;
  } catch (error) {
    throw new Error(
      `Tracing is on, but the tracer cannot be loaded from ${besideBundle} nor from the ${TRACER_PACKAGE} package: ` +
        `ship ${TRACER_BUNDLE_FILE} (npx nx run observability:build) beside the function's bundle`,
      { cause: error },
    );
  }
};

/**
 * Powertools only knows POWERTOOLS_TRACE_ENABLED; POWERTOOLS_TRACE_DISABLED is accepted as well
 * so that a local runtime can switch tracing off either way.
 */
const tracingEnabledByEnvironment = (): boolean =>
  process.env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
  process.env.POWERTOOLS_TRACE_DISABLED?.toLowerCase() !== 'true';
