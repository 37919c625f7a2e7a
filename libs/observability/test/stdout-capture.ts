/**
 * Captures what Powertools writes to stdout and stderr (its Logger and Metrics print through a
 * Console bound to the process streams; warnings go to stderr) and parses each JSON line.
 */
export const captureStdout = () => {
  const lines: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  return {
    lines,
    json: (): Record<string, unknown>[] =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
};

/** A Lambda context as the Node runtime passes it. */
export const lambdaContext = (
  overrides: Partial<import('aws-lambda').Context> = {},
): import('aws-lambda').Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'sm-location-put-location',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:sm-location-put-location',
  memoryLimitInMB: '256',
  awsRequestId: 'a1b2c3d4-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/sm-location-put-location',
  logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  ...overrides,
});

/** Sets environment variables for one test and returns a function restoring the old values. */
export const withEnv = (values: Record<string, string | undefined>): (() => void) => {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(previous);
};
