import { captureStdout, lambdaContext, withEnv } from '../test/stdout-capture';
import { createObservability } from './create-observability';
import { withObservability } from './with-observability';

describe('withObservability', () => {
  let restoreEnv: () => void;

  beforeEach(() => {
    restoreEnv = withEnv({
      POWERTOOLS_SERVICE_NAME: 'location',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessMicroservices',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_DEV: undefined,
      POWERTOOLS_METRICS_DISABLED: undefined,
      AWS_EXECUTION_ENV: undefined,
      _X_AMZN_TRACE_ID: undefined,
      // Lambda sets this; Powertools reports a cold start only for on-demand environments.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
  });
  afterEach(() => restoreEnv());

  it('writes JSON logs with the service, the Lambda request id, the correlation id and cold start', async () => {
    // Prepare
    const observability = createObservability();
    const handler = withObservability(
      observability,
      async () => {
        observability.logger.info('location updated');
        return 'ok';
      },
      { correlationId: () => 'corr-123' },
    );
    const output = captureStdout();

    // Act
    await handler({}, lambdaContext());
    output.restore();

    // Assess
    const line = output.json().find((entry) => entry.message === 'location updated');
    expect(line).toMatchObject({
      level: 'INFO',
      service: 'location',
      function_request_id: 'a1b2c3d4-0000-4000-8000-000000000001',
      function_name: 'sm-location-put-location',
      correlation_id: 'corr-123',
      cold_start: true,
    });
  });

  it('uses the Lambda request id as correlation id when the event has none', async () => {
    // Prepare
    const observability = createObservability();
    const handler = withObservability(observability, async () => {
      observability.logger.info('authorizing');
    });
    const output = captureStdout();

    // Act
    await handler({ type: 'TOKEN' }, lambdaContext({ awsRequestId: 'req-42' }));
    output.restore();

    // Assess
    expect(output.json().find((entry) => entry.message === 'authorizing')).toMatchObject({
      correlation_id: 'req-42',
    });
  });

  it("does not carry one invocation's keys into the next", async () => {
    // Prepare
    const observability = createObservability();
    let call = 0;
    const handler = withObservability(
      observability,
      async () => {
        call += 1;
        if (call === 1) observability.logger.appendKeys({ operationId: 'putLocation' });
        observability.logger.info(`call ${call}`);
      },
      { correlationId: () => `corr-${call + 1}` },
    );
    const output = captureStdout();

    // Act
    await handler({}, lambdaContext());
    await handler({}, lambdaContext({ awsRequestId: 'second' }));
    output.restore();

    // Assess
    const second = output.json().find((entry) => entry.message === 'call 2');
    expect(second).toMatchObject({
      correlation_id: 'corr-2',
      function_request_id: 'second',
      cold_start: false,
    });
    expect(second).not.toHaveProperty('operationId');
  });

  it('publishes a business metric as EMF in the service namespace when the invocation ends', async () => {
    // Prepare
    const observability = createObservability();
    const handler = withObservability(observability, async () => {
      observability.countMetric('UserRegistered');
    });
    const output = captureStdout();

    // Act
    await handler({}, lambdaContext());
    output.restore();

    // Assess
    const emf = output.json().find((entry) => 'UserRegistered' in entry);
    expect(emf).toMatchObject({ UserRegistered: 1, service: 'location' });
    expect(emf?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'ServerlessMicroservices',
          Metrics: [{ Name: 'UserRegistered', Unit: 'Count' }],
        },
      ],
    });
  });

  it('captures the cold start metric once, on the first invocation only', async () => {
    // Prepare
    const observability = createObservability();
    const handler = withObservability(observability, async () => undefined);
    const output = captureStdout();

    // Act
    await handler({}, lambdaContext());
    await handler({}, lambdaContext());
    output.restore();

    // Assess
    const coldStarts = output.json().filter((entry) => 'ColdStart' in entry);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({
      ColdStart: 1,
      function_name: 'sm-location-put-location',
    });
  });

  it('flushes stored metrics even when the handler throws, and rethrows the error', async () => {
    // Prepare
    const observability = createObservability();
    const failure = new Error('table unavailable');
    const handler = withObservability(observability, async () => {
      observability.countMetric('LocationLookupFailed');
      throw failure;
    });
    const output = captureStdout();

    // Act
    const outcome = handler({}, lambdaContext());
    await expect(outcome).rejects.toBe(failure);
    output.restore();

    // Assess
    expect(output.json().some((entry) => entry.LocationLookupFailed === 1)).toBe(true);
    expect(observability.metrics.hasStoredMetrics()).toBe(false);
  });

  it('neither throws nor warns when an invocation added no metric', async () => {
    // Prepare
    const observability = createObservability();
    const handler = withObservability(observability, async () => 'nothing measured');
    await handler({}, lambdaContext()); // the first call emits the cold start metric
    const output = captureStdout();

    // Act
    const result = await handler({}, lambdaContext());
    output.restore();

    // Assess
    expect(result).toBe('nothing measured');
    expect(output.lines.join('\n')).not.toMatch(/No application metrics/);
    expect(output.lines).toHaveLength(0);
  });
});

describe('createObservability tracing', () => {
  let restoreEnv: () => void;
  afterEach(() => restoreEnv());

  it('keeps tracing off when POWERTOOLS_TRACE_DISABLED is true, even inside Lambda', () => {
    // Prepare
    restoreEnv = withEnv({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: undefined,
    });

    // Act
    const { tracer } = createObservability({ serviceName: 'auth' });

    // Assess
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('keeps tracing off when POWERTOOLS_TRACE_ENABLED is false', () => {
    // Prepare
    restoreEnv = withEnv({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_DISABLED: undefined,
      POWERTOOLS_TRACE_ENABLED: 'false',
    });

    // Act
    const { tracer } = createObservability({ serviceName: 'auth' });

    // Assess
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('runs an invocation inside Lambda with tracing on but no X-Ray trace header without crashing', async () => {
    // Prepare
    restoreEnv = withEnv({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_DISABLED: undefined,
      POWERTOOLS_TRACE_ENABLED: undefined,
      _X_AMZN_TRACE_ID: undefined,
      POWERTOOLS_SERVICE_NAME: 'auth',
    });
    const observability = createObservability();
    const handler = withObservability(observability, async () => 'allowed');
    const output = captureStdout();

    // Act
    const result = await handler({}, lambdaContext());
    output.restore();

    // Assess
    expect(observability.tracer.isTracingEnabled()).toBe(true);
    expect(result).toBe('allowed');
  });

  it('lets explicit options override the environment', () => {
    // Prepare
    restoreEnv = withEnv({ POWERTOOLS_SERVICE_NAME: 'from-env' });

    // Act
    const { tracer } = createObservability({ serviceName: 'profile', tracingEnabled: false });

    // Assess
    expect(tracer.isTracingEnabled()).toBe(false);
  });
});
