/** What {@link captureOutput} has seen so far. */
export interface CapturedOutput {
  /** Every non-empty line written to stdout or stderr, in order. */
  readonly lines: readonly string[];
  /** The lines that are JSON objects (Powertools' log lines and EMF blobs), parsed. */
  records(): Record<string, unknown>[];
  /** Names of the metrics in the EMF blobs, in order. */
  metricNames(): string[];
  /** Puts the real streams back. */
  restore(): void;
}

interface EmfBlob {
  readonly _aws?: {
    readonly CloudWatchMetrics?: readonly {
      readonly Metrics?: readonly { readonly Name: string }[];
    }[];
  };
}

/**
 * Captures what a handler writes to stdout and stderr while it runs: Powertools' Logger and
 * Metrics print JSON log lines and EMF through a Console bound to the process streams. Nothing
 * reaches the terminal until `restore()`.
 */
export const captureOutput = (): CapturedOutput => {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  const record = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    // write(chunk, callback) and write(chunk, encoding, callback): the caller may wait for it.
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) process.nextTick(callback);
    return true;
  };
  for (const stream of streams) stream.write = record as typeof stream.write;
  const records = (): Record<string, unknown>[] =>
    lines.flatMap((line) => {
      try {
        const entry: unknown = JSON.parse(line);
        return typeof entry === 'object' && entry !== null
          ? [entry as Record<string, unknown>]
          : [];
      } catch {
        return [];
      }
    });
  return {
    lines,
    records,
    metricNames: () =>
      records().flatMap((entry) =>
        ((entry as EmfBlob)._aws?.CloudWatchMetrics ?? []).flatMap((block) =>
          (block.Metrics ?? []).map((metric) => metric.Name),
        ),
      ),
    restore: () =>
      streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write)),
  };
};
