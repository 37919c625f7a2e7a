import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { formatForConsole } from './console-format';
import type { LogRecord, LogSink } from './types';

export interface LogSinkOptions {
  /** Directory for one `.jsonl` file per log group; no files when absent. */
  logsDir?: string;
  /** No console output at all (tests, benchmarks); the files are still written. @default false */
  quiet?: boolean;
  /** ANSI colors on the console. @default out is a TTY and NO_COLOR is unset */
  color?: boolean;
  /** @default process.stdout */
  out?: NodeJS.WritableStream;
  /**
   * Which of Lambda's own lines reach the console; the files always get them all. `report` shows
   * REPORT (durations, `Init Duration` of cold starts), INIT_REPORT and timeouts.
   * @default 'report'
   */
  platformLines?: 'all' | 'report' | 'none';
  /** Lines are written in batches at most this often. @default 50 */
  flushIntervalMs?: number;
}

/** `/aws/lambda/SmAuth-CreateUser` → `aws-lambda-SmAuth-CreateUser.jsonl`. */
export function logFileName(logGroupName: string): string {
  return `${logGroupName.replace(/^\/+/, '').replace(/[^A-Za-z0-9._#-]+/g, '-')}.jsonl`;
}

/** The line written to a log group's file: the record without its console-only fields. */
export function toJsonLine(record: LogRecord): string {
  return JSON.stringify({
    timestamp: record.timestamp,
    logGroup: record.logGroup,
    logStream: record.logStream,
    requestId: record.requestId ?? null,
    message: record.message,
  });
}

interface GroupFile {
  stream: WriteStream;
  chunks: string[];
  /** Settles when everything handed to the stream so far is written. */
  written: Promise<void>;
}

function showsOnConsole(record: LogRecord, platformLines: 'all' | 'report' | 'none'): boolean {
  if (record.origin !== 'platform' || platformLines === 'all') return true;
  if (platformLines === 'none') return false;
  const m = record.message;
  return m.startsWith('REPORT') || m.startsWith('INIT_REPORT') || m.includes('Task timed out');
}

/**
 * Prints every function's lines labelled by function and appends them, as CloudWatch would store
 * them, to `<logsDir>/<log group>.jsonl`. Writes are batched: `write()` only queues, so the
 * invocation path never waits for a console or a disk.
 */
export function createLogSink(options: LogSinkOptions = {}): LogSink {
  const out = options.out ?? process.stdout;
  const quiet = options.quiet ?? false;
  const color =
    options.color ??
    ((out as NodeJS.WriteStream).isTTY === true && process.env.NO_COLOR === undefined);
  const platformLines = options.platformLines ?? 'report';
  const intervalMs = options.flushIntervalMs ?? 50;
  const logsDir = options.logsDir;
  if (logsDir) mkdirSync(logsDir, { recursive: true });

  const files = new Map<string, GroupFile>();
  let consoleLines: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let reportedFileError = false;

  function fileFor(logGroup: string): GroupFile {
    let file = files.get(logGroup);
    if (!file) {
      const stream = createWriteStream(join(logsDir as string, logFileName(logGroup)), {
        flags: 'a',
      });
      stream.on('error', (error) => {
        if (reportedFileError) return;
        reportedFileError = true;
        process.stderr.write(
          `local-runtime logs: cannot write ${logGroup} under ${logsDir}: ${error.message}\n`,
        );
      });
      file = { stream, chunks: [], written: Promise.resolve() };
      files.set(logGroup, file);
    }
    return file;
  }

  function flushNow(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    for (const file of files.values()) {
      if (file.chunks.length === 0) continue;
      const data = file.chunks.join('');
      file.chunks = [];
      file.written = new Promise((resolve) => file.stream.write(data, () => resolve()));
    }
    if (consoleLines.length > 0) {
      const text = `${consoleLines.join('\n')}\n`;
      consoleLines = [];
      out.write(text);
    }
  }

  return {
    active: logsDir !== undefined || !quiet,

    write(record) {
      if (closed) return;
      if (logsDir) fileFor(record.logGroup).chunks.push(`${toJsonLine(record)}\n`);
      if (!quiet && showsOnConsole(record, platformLines))
        consoleLines.push(formatForConsole(record, color));
      if (timer === undefined) timer = setTimeout(flushNow, intervalMs).unref();
    },

    async flush() {
      flushNow();
      await Promise.all([...files.values()].map((file) => file.written));
    },

    async close() {
      if (closed) return;
      flushNow();
      closed = true;
      await Promise.all(
        [...files.values()].map(
          (file) =>
            new Promise<void>((resolve) => {
              if (file.stream.destroyed) return resolve();
              file.stream.end(() => resolve());
            }),
        ),
      );
      files.clear();
    },
  };
}
