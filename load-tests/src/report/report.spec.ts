/**
 * The load report as a person opens it: report.html in headless Chromium (Debian's chromium through
 * playwright-core), every chart drawn with data, and report.json with what check:capacity reads.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { ScenarioResult } from '../scenarios';
import { provisionedConcurrencyCost, scenarioEntry, writeReport, type LoadReport } from './report';
import { PRICES } from './prices';
import { Timeline } from './timeline';

jest.setTimeout(60_000);

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);

/** A scenario's result as a 3-second run above the limit produces it: 200s and 429s each second. */
function scenario(name: string): ScenarioResult {
  const timeline = new Timeline();
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < 50; i++) timeline.record(200, 5 + i, T0 + s * 1000 + i);
    for (let i = 0; i < 40; i++) timeline.record(429, 2, T0 + s * 1000 + i);
  }
  return {
    name,
    limits: {
      method: 'GET',
      resourcePath: '/loc/{userId}',
      rateLimit: 50,
      burstLimit: 50,
      functionName: 'SmLocation-GetLocation',
      reservedConcurrency: 60,
    },
    rps: 100,
    outcome: {
      sent: 270,
      statusCounts: new Map([
        [200, 150],
        [429, 120],
      ]),
      networkErrors: 0,
      p50Ms: 10,
      p99Ms: 54,
      elapsedSeconds: 3,
      acknowledged: [],
      rejections: [],
      timeline,
    },
    verdict: { passed: true, failures: [] },
  } as ScenarioResult;
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(() => browser?.close());

it('draws every chart of the report with data, in one self-contained file', async () => {
  const run = { result: scenario('GET /loc/{userId} above the limit'), start: T0, end: T0 + 3000 };
  const report: LoadReport = {
    createdAt: new Date(T0).toISOString(),
    target: 'local runtime (test)',
    local: true,
    secondsPerPhase: 3,
    alarmPeriodScale: 0.1,
    scenarios: [
      scenarioEntry(run, [
        {
          functionName: 'SmLocation-GetLocation',
          invocations: 150,
          errors: 0,
          throttles: 0,
          p99Ms: 41.5,
          maxConcurrency: 50,
          reservedConcurrency: 60,
          coldStarts: 2,
        },
      ]),
    ],
    concurrency: [
      {
        functionName: 'SmLocation-GetLocation',
        reserved: 60,
        points: [
          [T0, 12],
          [T0 + 1000, 50],
          [T0 + 2000, 8],
        ],
      },
    ],
    alarms: [
      {
        alarmName: 'sm-location-get-location-concurrency',
        oldState: 'OK',
        newState: 'ALARM',
        reason: 'Threshold Crossed',
        timestamp: T0 + 1500,
        scenario: run.result.name,
      },
    ],
    capacity: {
      measured: [
        {
          stackName: 'SmLocation',
          logicalId: 'GetLocationFunction',
          functionName: 'SmLocation-GetLocation',
          p99Ms: 41.5,
          invocations: 150,
        },
      ],
    },
    cost: {
      prices: PRICES,
      routes: [
        {
          scenario: run.result.name,
          route: 'GET /loc/{userId}',
          requests: 270,
          perMillion: {
            apiGateway: 3.5,
            lambdaRequests: 0.11,
            lambdaDuration: 0.05,
            dynamoDb: 0.07,
            logs: 0.1,
            total: 3.83,
          },
          stageRateLimit: 50,
          perMonthAtStageLimit: 496.37,
        },
      ],
      provisioned: [
        { functionName: 'SmLocation-GetLocation', alias: 'live', concurrency: 5, memoryMb: 512, architecture: 'arm64', perMonth: 21.6 },
      ],
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'load-report-'));
  const { html, json } = writeReport(dir, report);
  expect(JSON.parse(readFileSync(json, 'utf8')).capacity.measured[0]).toEqual(
    report.capacity.measured[0],
  );
  expect(report.scenarios[0]!.timeline.map((s) => s.statuses)).toEqual([
    { 200: 50, 429: 40 },
    { 200: 50, 429: 40 },
    { 200: 50, 429: 40 },
  ]);
  expect(report.scenarios[0]!.timeline[0]!.p99).toBe(54);

  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`file://${html}`);
  await page.waitForSelector('body[data-rendered]');
  const charts = await page.$$eval('.w-metric', (els) =>
    els.map((el) => ({
      title: el.querySelector('h3')?.textContent,
      points: Number(el.getAttribute('data-points')),
      canvas: el.querySelector('canvas') !== null,
    })),
  );
  expect(charts.map((c) => c.title)).toEqual([
    'Answers per second by status',
    'Latency (ms) per second',
    'SmLocation-GetLocation (reserved 60)',
  ]);
  for (const chart of charts) expect(chart).toMatchObject({ canvas: true });
  expect(charts.map((c) => c.points)).toEqual([6, 9, 3]);
  const tables = await page.$$eval('.w-table h3', (els) => els.map((el) => el.textContent));
  expect(tables).toContain('Functions during this phase (local runtime)');
  expect(await page.textContent('body')).toContain('sm-location-get-location-concurrency');
  expect(await page.textContent('body')).toContain('Provisioned concurrency (USD per month, whatever the traffic)');
  // Nothing but the file itself (and the inline favicon) was loaded.
  expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('data:'))).toEqual(
    [],
  );
});

describe('provisionedConcurrencyCost', () => {
  const fn = (id: string, memorySizeMB: number, architecture?: string) =>
    ({ id, functionName: id.replace('/', '-'), memorySizeMB, architecture }) as never;
  const alias = (functionId: string, provisionedConcurrency: number) =>
    ({ id: `${functionId}Alias`, functionId, name: 'live', version: '1', additionalVersionWeights: {}, provisionedConcurrency }) as never;

  it('bills each alias’s provisioned environments by memory and architecture for the month, and nothing when it is off', () => {
    const system = {
      functions: [fn('SmLocation/GetLocation', 512, 'arm64'), fn('SmAuth/Authorize', 1024, 'x86_64'), fn('SmAuth/CreateUser', 1769, 'arm64')],
      lambdaVersions: { versions: [], deploymentGroups: [], aliases: [alias('SmLocation/GetLocation', 5), alias('SmAuth/Authorize', 2), alias('SmAuth/CreateUser', 0)] },
    };
    const costs = provisionedConcurrencyCost(system as never);
    // 5 × 0.5 GB × 2,592,000 s × $0.0000033334 = $21.60; 2 × 1 GB × 2,592,000 s × $0.0000041667 = $21.60
    expect(costs).toEqual([
      { functionName: 'SmLocation-GetLocation', alias: 'live', concurrency: 5, memoryMb: 512, architecture: 'arm64', perMonth: 21.6 },
      { functionName: 'SmAuth-Authorize', alias: 'live', concurrency: 2, memoryMb: 1024, architecture: 'x86_64', perMonth: 21.6 },
    ]);
    expect(PRICES.lambdaProvisionedConcurrency.perGbSecond['arm64']).toBeLessThan(PRICES.lambda.perGbSecond['arm64']!);
  });
});
