/** Reads the local runtime's CloudWatch metrics over HTTP (`/_local/api/…`). */
export class LocalMetrics {
  constructor(readonly origin: string) {}

  /** One statistic over [start, end): `{ value, sampleCount }`; value null without data. */
  async statistic(
    namespace: string,
    name: string,
    dimensions: Record<string, string>,
    stat: string,
    start: number,
    end: number,
  ): Promise<{ value: number | null; sampleCount: number }> {
    const query = new URLSearchParams({
      namespace,
      name,
      stat,
      start: String(start),
      end: String(end),
    });
    for (const [key, value] of Object.entries(dimensions)) query.set(`dim.${key}`, value);
    return this.get(`/_local/api/metric-statistics?${query}`) as Promise<{
      value: number | null;
      sampleCount: number;
    }>;
  }

  /** Datapoints per period over [start, end). */
  async datapoints(
    namespace: string,
    name: string,
    dimensions: Record<string, string>,
    stat: string,
    periodMs: number,
    start: number,
    end: number,
  ): Promise<{ timestamp: number; value: number }[]> {
    const query = new URLSearchParams({
      namespace,
      name,
      stat,
      period: String(periodMs),
      start: String(start),
      end: String(end),
    });
    for (const [key, value] of Object.entries(dimensions)) query.set(`dim.${key}`, value);
    return (
      (await this.get(`/_local/api/metric-data?${query}`)) as {
        datapoints: { timestamp: number; value: number }[];
      }
    ).datapoints;
  }

  async series(): Promise<{
    resolutionMs: number;
    timeScale: number;
    series: { namespace: string; name: string; dimensions: Record<string, string> }[];
  }> {
    return this.get('/_local/api/metrics') as never;
  }

  async alarms(): Promise<
    {
      name: string;
      stackName: string;
      state: string;
      reason: string;
      history: {
        alarmName: string;
        oldState: string;
        newState: string;
        reason: string;
        timestamp: number;
      }[];
    }[]
  > {
    return ((await this.get('/_local/api/alarms')) as { alarms: never[] }).alarms;
  }

  private async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.origin}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}
