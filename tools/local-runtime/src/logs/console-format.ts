import type { LogRecord } from './types';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const LABEL_COLORS = [
  '\x1b[36m',
  '\x1b[35m',
  '\x1b[33m',
  '\x1b[32m',
  '\x1b[34m',
  '\x1b[96m',
  '\x1b[95m',
  '\x1b[93m',
];
const LEVEL_COLORS: Record<string, string> = {
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[31m',
  WARN: '\x1b[33m',
  WARNING: '\x1b[33m',
  DEBUG: '\x1b[90m',
  TRACE: '\x1b[90m',
};

/** A label always gets the same color, so one function's lines are easy to follow. */
function labelColor(label: string): string {
  let hash = 0;
  for (let i = 0; i < label.length; i++) hash = (hash * 31 + label.charCodeAt(i)) >>> 0;
  return LABEL_COLORS[hash % LABEL_COLORS.length] as string;
}

function levelOf(
  record: LogRecord,
  structured: Record<string, unknown> | undefined,
): string | undefined {
  if (structured) {
    const level = structured.level ?? structured.levelname;
    return typeof level === 'string' ? level.toUpperCase() : undefined;
  }
  // Lambda's console format: <time>\t<requestId>\t<LEVEL>\t<message>
  const fields = record.message.split('\t', 4);
  return fields.length >= 4 ? fields[2] : undefined;
}

function parseObject(message: string): Record<string, unknown> | undefined {
  if (message.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One console line for a record: `[auth:create-user] <message>`. Structured (JSON) lines stay
 * JSON — re-serialized on one line so they can still be piped into `jq` — with EMF lines dimmed,
 * since the metrics printout is the readable view of them.
 */
export function formatForConsole(record: LogRecord, color: boolean): string {
  const structured = parseObject(record.message);
  const isMetric = structured !== undefined && typeof structured._aws === 'object';
  const message = structured ? JSON.stringify(structured) : record.message;
  if (!color) return `[${record.source}] ${message}`;
  const label = `${labelColor(record.source)}[${record.source}]${RESET}`;
  if (record.origin === 'platform' || isMetric) return `${label} ${DIM}${message}${RESET}`;
  const levelColor = LEVEL_COLORS[levelOf(record, structured) ?? ''];
  return levelColor ? `${label} ${levelColor}${message}${RESET}` : `${label} ${message}`;
}
