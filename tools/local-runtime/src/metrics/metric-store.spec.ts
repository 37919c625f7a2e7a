import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricStore } from './metric-store';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

describe('MetricStore', () => {
  let now = T0;
  const clock = () => now;
  let dir: string;
  beforeEach(() => {
    now = T0;
    dir = mkdtempSync(join(tmpdir(), 'metric-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps one series per exact dimension set, as CloudWatch does', () => {
    const store = new MetricStore({ clock });
    store.series('AWS/Lambda', 'Errors', { FunctionName: 'a' }).record(1);
    store.series('AWS/Lambda', 'Errors', { FunctionName: 'b' }).record(1);
    store.series('AWS/Lambda', 'Errors', {}).record(1);
    expect(
      store
        .find({ namespace: 'AWS/Lambda', name: 'Errors', dimensions: { FunctionName: 'a' } })
        ?.aggregate(0, T0 + 1)?.count,
    ).toBe(1);
    expect(store.list()).toHaveLength(3);
    store.close();
  });

  it('aggregates 10-second buckets into any period aligned to the epoch', () => {
    const store = new MetricStore({ clock });
    const series = store.series('AWS/ApiGateway', 'Latency', { ApiName: 'x' }, 'Milliseconds');
    for (let s = 0; s < 120; s++) series.record(s < 60 ? 10 : 30, T0 + s * 1000);
    expect(series.buckets.size).toBe(12);
    const perMinute = series.datapoints('Average', 60_000, T0, T0 + 120_000);
    expect(perMinute).toEqual([
      { timestamp: T0, value: 10, sampleCount: 60 },
      { timestamp: T0 + 60_000, value: 30, sampleCount: 60 },
    ]);
    expect(series.datapoints('Maximum', 300_000, T0, T0 + 120_000)).toEqual([
      { timestamp: T0, value: 30, sampleCount: 120 },
    ]);
    store.close();
  });

  it('counts a late value in its own bucket, not in the newest', () => {
    const store = new MetricStore({ clock });
    const series = store.series('N', 'M');
    series.record(1, T0 + 25_000);
    series.record(5, T0 + 1_000);
    expect(series.aggregate(T0, T0 + 10_000)?.sum).toBe(5);
    expect(series.aggregate(T0 + 20_000, T0 + 30_000)?.sum).toBe(1);
    store.close();
  });

  it('writes closed buckets under its directory and reads them back on the next start', () => {
    const first = new MetricStore({ clock, persistDir: dir });
    first.series('AWS/Lambda', 'Duration', { FunctionName: 'f' }, 'Milliseconds').record(42, T0);
    first.series('AWS/Lambda', 'Duration', { FunctionName: 'f' }, 'Milliseconds').record(8, T0 + 1);
    now = T0 + 10_000;
    first.close();
    expect(readdirSync(dir)).toEqual(['2026-11-27.jsonl']);
    const second = new MetricStore({ clock, persistDir: dir });
    const series = second.find({
      namespace: 'AWS/Lambda',
      name: 'Duration',
      dimensions: { FunctionName: 'f' },
    });
    expect(series?.unit).toBe('Milliseconds');
    expect(series?.datapoints('Sum', 60_000, T0, T0 + 60_000)).toEqual([
      { timestamp: T0, value: 50, sampleCount: 2 },
    ]);
    second.close();
  });

  it('drops buckets older than the retention', () => {
    const store = new MetricStore({ clock, retentionMs: 60_000 });
    const series = store.series('N', 'M');
    series.record(1, T0);
    now = T0 + 120_000;
    series.record(2);
    store.flush();
    expect([...series.buckets.keys()]).toEqual([T0 + 120_000]);
    store.close();
  });
});
