/** What the client saw in one second of a run. */
export interface Second {
  /** Start of the second, ms since the epoch. */
  t: number;
  statuses: Record<string, number>;
  /** Latencies of the answers that arrived in this second, ms. */
  latencies: number[];
}

/** Per-second answers of a run, as the client saw them (status codes and latency over time). */
export class Timeline {
  private readonly seconds = new Map<number, Second>();

  record(status: number | 'network-error', latencyMs: number | undefined, at = Date.now()): void {
    const t = at - (at % 1000);
    let second = this.seconds.get(t);
    if (!second) this.seconds.set(t, (second = { t, statuses: {}, latencies: [] }));
    second.statuses[String(status)] = (second.statuses[String(status)] ?? 0) + 1;
    if (latencyMs !== undefined) second.latencies.push(latencyMs);
  }

  /** Every second, oldest first. */
  list(): Second[] {
    return [...this.seconds.values()].sort((a, b) => a.t - b.t);
  }

  /** One timeline of several concurrent runs. */
  static merge(timelines: readonly (Timeline | undefined)[]): Timeline {
    const merged = new Timeline();
    for (const timeline of timelines) {
      for (const second of timeline?.list() ?? []) {
        let into = merged.seconds.get(second.t);
        if (!into)
          merged.seconds.set(second.t, (into = { t: second.t, statuses: {}, latencies: [] }));
        for (const [status, n] of Object.entries(second.statuses))
          into.statuses[status] = (into.statuses[status] ?? 0) + n;
        into.latencies.push(...second.latencies);
      }
    }
    return merged;
  }
}

/** Nearest-rank percentile of a sample (undefined when empty). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}
