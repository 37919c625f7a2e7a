import { captureOutput } from './capture-output';

describe('captureOutput', () => {
  it('keeps every non-empty line written to stdout and stderr, and parses the JSON ones', () => {
    const output = captureOutput();
    try {
      process.stdout.write('{"level":"INFO","message":"hello"}\n\n');
      process.stderr.write(Buffer.from('not json\n'));
      process.stdout.write(
        '{"_aws":{"CloudWatchMetrics":[{"Metrics":[{"Name":"LocationUpdated"},{"Name":"ColdStart"}]}]}}\n',
      );
      process.stdout.write('42\n');
    } finally {
      output.restore();
    }

    expect(output.lines).toEqual([
      '{"level":"INFO","message":"hello"}',
      'not json',
      '{"_aws":{"CloudWatchMetrics":[{"Metrics":[{"Name":"LocationUpdated"},{"Name":"ColdStart"}]}]}}',
      '42',
    ]);
    expect(output.records()).toHaveLength(2);
    expect(output.records()[0]).toEqual({ level: 'INFO', message: 'hello' });
    expect(output.metricNames()).toEqual(['LocationUpdated', 'ColdStart']);
  });

  it('calls a write callback, and puts the real streams back on restore', async () => {
    const realStdout = process.stdout.write;
    const realStderr = process.stderr.write;
    const output = captureOutput();
    expect(process.stdout.write).not.toBe(realStdout);
    const written = new Promise<void>((resolve) => process.stdout.write('line\n', () => resolve()));
    output.restore();

    await written;
    expect(process.stdout.write).toBe(realStdout);
    expect(process.stderr.write).toBe(realStderr);
    expect(output.lines).toEqual(['line']);
  });
});
