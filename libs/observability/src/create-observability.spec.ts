import { withEnv } from '../test/stdout-capture';

describe('createObservability', () => {
  let restoreEnv: () => void;
  afterEach(() => {
    restoreEnv();
    jest.dontMock('@aws-lambda-powertools/tracer');
  });

  /** Loads a fresh copy of the module and reports whether the Tracer package got loaded. */
  const loadIsolated = () => {
    const loaded = { tracer: false };
    let module: typeof import('./create-observability') | undefined;
    jest.isolateModules(() => {
      // Not a fake: the real Tracer, only observed, to prove when the X-Ray SDK is loaded.
      jest.doMock('@aws-lambda-powertools/tracer', () => {
        loaded.tracer = true;
        return jest.requireActual('@aws-lambda-powertools/tracer');
      });
      module =
        jest.requireActual<typeof import('./create-observability')>('./create-observability');
    });
    return {
      loaded,
      createObservability: (module as typeof import('./create-observability')).createObservability,
    };
  };

  it('does not load the X-Ray SDK off AWS, and leaves SDK clients uninstrumented', () => {
    // Prepare
    restoreEnv = withEnv({
      AWS_EXECUTION_ENV: undefined,
      POWERTOOLS_TRACE_ENABLED: undefined,
      POWERTOOLS_TRACE_DISABLED: undefined,
    });
    const { loaded, createObservability } = loadIsolated();
    const client = { middlewareStack: 'untouched' };

    // Act
    const observability = createObservability({ serviceName: 'location' });
    observability.countMetric('LocationUpdated');
    const captured = observability.captureAWSv3Client(client);

    // Assess
    expect(observability.tracingEnabled).toBe(false);
    expect(captured).toBe(client);
    expect(loaded.tracer).toBe(false);
  });

  it('loads the tracer and traces inside Lambda when tracing is not disabled', () => {
    // Prepare
    restoreEnv = withEnv({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_ENABLED: undefined,
      POWERTOOLS_TRACE_DISABLED: undefined,
      AWS_SAM_LOCAL: undefined,
    });
    const { loaded, createObservability } = loadIsolated();

    // Act
    const observability = createObservability({ serviceName: 'location' });

    // Assess
    expect(observability.tracingEnabled).toBe(true);
    expect(loaded.tracer).toBe(true);
  });

  it('still hands out a working, disabled tracer when code asks for it off AWS', () => {
    // Prepare
    restoreEnv = withEnv({ AWS_EXECUTION_ENV: undefined });
    const { createObservability } = loadIsolated();

    // Act
    const { tracer } = createObservability({ serviceName: 'location' });

    // Assess
    expect(tracer.isTracingEnabled()).toBe(false);
    expect(() => tracer.putAnnotation('operationId', 'getLocation')).not.toThrow();
  });
});
