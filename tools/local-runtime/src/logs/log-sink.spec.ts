import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { build } from 'esbuild';
import { createLambdaService } from '../lambda/lambda-service';
import type { FunctionSpec } from '../lambda/types';
import { formatMetricsSummary, parseEmf, readMetrics, summarizeMetrics } from './emf';
import { createLogSink, logFileName } from './log-sink';
import type { LogRecord } from './types';

jest.setTimeout(15_000);

const fixtures = join(__dirname, '..', 'lambda', '__fixtures__');

function captureOut(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

function record(message: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timestamp: 1_700_000_000_000,
    logGroup: '/aws/lambda/SmAuth-CreateUser',
    logStream: '2026/01/01/[$LATEST]abc',
    requestId: 'req-1',
    message,
    source: 'auth:create-user',
    ...extra,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('log files', () => {
  it('names a file after its log group', () => {
    expect(logFileName('/aws/lambda/SmAuth-CreateUser')).toBe('aws-lambda-SmAuth-CreateUser.jsonl');
  });

  it('writes what an invoked function logs, and the platform lines, as JSON lines per log group', async () => {
    const sink = createLogSink({ logsDir: dir, quiet: true });
    const lambda = createLambdaService({ logSink: sink });
    const fn: FunctionSpec = {
      id: 'SmAuth/CreateUserFunction',
      functionName: 'SmAuth-CreateUser',
      codeDir: fixtures,
      handler: 'logs.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 3,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmAuth-CreateUser',
    };
    lambda.register(fn);
    try {
      await lambda.invoke(fn.id, { id: 7 }, { requestId: 'req-7' });
    } finally {
      await lambda.close();
      await sink.close();
    }

    expect(readdirSync(dir)).toEqual(['aws-lambda-SmAuth-CreateUser.jsonl']);
    const lines = readFileSync(join(dir, 'aws-lambda-SmAuth-CreateUser.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const r of records) {
      expect(Object.keys(r)).toEqual([
        'timestamp',
        'logGroup',
        'logStream',
        'requestId',
        'message',
      ]);
      expect(r.logGroup).toBe('/aws/lambda/SmAuth-CreateUser');
    }
    const messages = records.map((r) => r.message as string);
    // INIT output (no request id) comes before START; the invocation's lines carry its id.
    const initLine = records.find((r) => (r.message as string).endsWith('\tINFO\tloaded at init'));
    expect(initLine?.requestId).toBeNull();
    expect(messages.indexOf(initLine?.message as string)).toBeLessThan(
      messages.indexOf('START RequestId: req-7 Version: $LATEST'),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-7\tINFO\tplain line \{ id: 7 \}$/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/\treq-7\tERROR\tan error line$/));
    const structured = records.find((r) => (r.message as string).includes('"structured"'));
    expect(JSON.parse(structured?.message as string)).toEqual({
      level: 'INFO',
      message: 'structured',
      requestId: 'req-7',
      id: 7,
    });
    expect(structured?.requestId).toBe('req-7');
    expect(messages.at(-1)).toMatch(/^REPORT RequestId: req-7\t/);
  });

  it('reads the EMF metrics a function wrote back from the same files', async () => {
    const sink = createLogSink({ logsDir: dir, quiet: true });
    const lambda = createLambdaService({ logSink: sink });
    const fn: FunctionSpec = {
      id: 'SmTest/LogsFunction',
      functionName: 'SmTest-Logs',
      codeDir: fixtures,
      handler: 'logs.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 3,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-Logs',
    };
    lambda.register(fn);
    try {
      for (let i = 0; i < 3; i++) await lambda.invoke(fn.id, { id: i });
    } finally {
      await lambda.close();
      await sink.close();
    }

    const metrics = await readMetrics(dir);

    expect(metrics).toHaveLength(3);
    expect(metrics[0]).toMatchObject({
      logGroup: '/aws/lambda/SmTest-Logs',
      namespace: 'LocalRuntimeTest',
      name: 'EchoCount',
      unit: 'Count',
      values: [1],
      dimensions: { service: 'echo' },
    });
    expect(formatMetricsSummary(summarizeMetrics(metrics))).toBe(
      'LocalRuntimeTest EchoCount {service=echo}: count=3 sum=3 Count min=1 max=1',
    );
  });

  it("keeps the real Powertools Logger's JSON lines and Metrics' EMF lines parseable", async () => {
    // Bundled as the services are: an environment, like Lambda, has nothing but its asset (and the SDK).
    const codeDir = join(dir, 'asset');
    await build({
      entryPoints: [join(fixtures, 'powertools.js')],
      outfile: join(codeDir, 'powertools.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      logLevel: 'silent',
    });
    const sink = createLogSink({ logsDir: dir, quiet: true });
    const lambda = createLambdaService({ logSink: sink });
    const fn: FunctionSpec = {
      id: 'SmTest/PowertoolsFunction',
      functionName: 'SmTest-Powertools',
      codeDir,
      handler: 'powertools.handler',
      runtime: 'nodejs22.x',
      environment: {},
      timeoutSeconds: 3,
      memorySizeMB: 128,
      logGroupName: '/aws/lambda/SmTest-Powertools',
    };
    lambda.register(fn);
    try {
      await lambda.invoke(fn.id, { id: 1 }, { requestId: 'req-pt-1' });
      await lambda.invoke(fn.id, { id: 2 }, { requestId: 'req-pt-2' });
    } finally {
      await lambda.close();
      await sink.close();
    }

    const records = readFileSync(join(dir, 'aws-lambda-SmTest-Powertools.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { requestId: string | null; message: string });
    const logs = records
      .filter((r) => r.message.includes('"handled"'))
      .map((r) => JSON.parse(r.message) as Record<string, unknown>);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'handled',
        id: 1,
        cold_start: true,
        function_name: 'SmTest-Powertools',
        function_request_id: 'req-pt-1',
        xray_trace_id: expect.stringMatching(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      }),
      expect.objectContaining({ id: 2, cold_start: false, function_request_id: 'req-pt-2' }),
    ]);
    const metrics = await readMetrics(dir);
    expect(metrics.map((m) => [m.name, m.values, m.dimensions, m.requestId])).toEqual([
      ['Handled', [1], { service: 'fixture' }, 'req-pt-1'],
      ['Handled', [1], { service: 'fixture' }, 'req-pt-2'],
    ]);
  });

  it('finds no metrics in a directory that does not exist', async () => {
    expect(await readMetrics(join(dir, 'absent'))).toEqual([]);
  });
});

describe('EMF parsing', () => {
  it('yields one metric per dimension set, with array values', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 5,
        CloudWatchMetrics: [
          {
            Namespace: 'Sm',
            Dimensions: [['service'], ['service', 'operation']],
            Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Missing' }],
          },
        ],
      },
      service: 'auth',
      operation: 'createUser',
      Latency: [3, 4],
    });
    expect(parseEmf(line)).toEqual([
      {
        timestamp: 5,
        namespace: 'Sm',
        name: 'Latency',
        unit: 'Milliseconds',
        values: [3, 4],
        dimensions: { service: 'auth' },
      },
      {
        timestamp: 5,
        namespace: 'Sm',
        name: 'Latency',
        unit: 'Milliseconds',
        values: [3, 4],
        dimensions: { service: 'auth', operation: 'createUser' },
      },
    ]);
  });

  it('ignores a console.log-prefixed EMF object, as CloudWatch does', () => {
    const emf = JSON.stringify({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Sm', Dimensions: [], Metrics: [{ Name: 'X' }] }] },
      X: 1,
    });
    expect(parseEmf(emf)).toHaveLength(1);
    expect(parseEmf(`2026-01-01T00:00:00.000Z\treq\tINFO\t${emf}`)).toEqual([]);
    expect(parseEmf('{"_aws": not json')).toEqual([]);
  });
});

describe('console', () => {
  it('labels each line by function and keeps structured lines as JSON', async () => {
    const { out, text } = captureOut();
    const sink = createLogSink({ out, color: false });
    sink.write(record('2026-01-01T00:00:00.000Z\treq-1\tINFO\thello'));
    sink.write(record('{ "level": "INFO", "message": "created" }'));
    sink.write(record('START RequestId: req-1 Version: $LATEST', { origin: 'platform' }));
    sink.write(record('REPORT RequestId: req-1\tDuration: 1.00 ms', { origin: 'platform' }));
    await sink.close();

    const lines = text().trim().split('\n');
    expect(lines).toEqual([
      '[auth:create-user] 2026-01-01T00:00:00.000Z\treq-1\tINFO\thello',
      '[auth:create-user] {"level":"INFO","message":"created"}',
      '[auth:create-user] REPORT RequestId: req-1\tDuration: 1.00 ms',
    ]);
    expect(JSON.parse((lines[1] as string).slice('[auth:create-user] '.length))).toEqual({
      level: 'INFO',
      message: 'created',
    });
  });

  it('colors the label and error levels on a terminal', async () => {
    const { out, text } = captureOut();
    const sink = createLogSink({ out, color: true });
    sink.write(record('{"level":"ERROR","message":"boom"}'));
    await sink.flush();
    const esc = '\x1b';
    expect(text().startsWith(`${esc}[`)).toBe(true);
    expect(text()).toContain(
      `[auth:create-user]${esc}[0m ${esc}[31m{"level":"ERROR","message":"boom"}${esc}[0m\n`,
    );
    await sink.close();
  });

  it('prints nothing in quiet mode but still writes the files', async () => {
    const { out, text } = captureOut();
    const sink = createLogSink({ out, quiet: true, logsDir: dir });
    sink.write(record('quiet line'));
    await sink.close();
    expect(text()).toBe('');
    expect(readFileSync(join(dir, 'aws-lambda-SmAuth-CreateUser.jsonl'), 'utf8')).toContain(
      '"message":"quiet line"',
    );
  });

  it('shows every platform line when asked', async () => {
    const { out, text } = captureOut();
    const sink = createLogSink({ out, color: false, platformLines: 'all' });
    sink.write(record('START RequestId: req-1 Version: $LATEST', { origin: 'platform' }));
    await sink.close();
    expect(text()).toBe('[auth:create-user] START RequestId: req-1 Version: $LATEST\n');
  });
});
