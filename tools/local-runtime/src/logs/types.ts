/**
 * One log event, as CloudWatch Logs would store it: the raw line a function (or the Lambda
 * platform) wrote, with the group and stream it belongs to.
 */
export interface LogRecord {
  /** Milliseconds since the epoch, like CloudWatch's event timestamp. */
  timestamp: number;
  logGroup: string;
  logStream: string;
  /** The invocation the line belongs to; `undefined` for lines written during INIT. */
  requestId: string | undefined;
  /** The raw line, exactly as written (Powertools JSON and EMF lines stay parseable). */
  message: string;
  /** Console label of the function, e.g. `auth:create-user`. Not written to the files. */
  source: string;
  /** `platform` for the START/END/REPORT/INIT lines Lambda itself writes. @default 'app' */
  origin?: 'app' | 'platform';
}

/** Where execution environments send their log lines. Writes must be cheap and never throw. */
export interface LogSink {
  /**
   * `false` when every record is dropped (no console, no files): writers may skip building them.
   * @default true
   */
  readonly active?: boolean;
  write(record: LogRecord): void;
  /** Resolves once every record written so far is on disk. */
  flush(): Promise<void>;
  /** Flushes and closes the files; later writes are dropped. */
  close(): Promise<void>;
}
