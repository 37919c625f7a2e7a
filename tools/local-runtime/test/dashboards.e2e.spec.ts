/**
 * `GET /_local/dashboards` and `GET /_local/alarms` in a real browser (Debian's chromium through
 * playwright-core), after traffic on the real stacks: every dashboard renders, every widget whose
 * metrics saw traffic draws data, and nothing is fetched from outside the local origin.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { synthSystem } from '../fixtures/system-assembly';
import { startRuntime, type RunningRuntime } from '../src';
import { call } from './helpers';

jest.setTimeout(180_000);

let runtime: RunningRuntime;
let browser: BrowserContext;

beforeAll(async () => {
  runtime = await startRuntime({
    assemblyDir: synthSystem(),
    port: 0,
    inMemory: true,
    quiet: true,
    log: () => undefined,
    monitorLog: () => undefined,
    alarmPeriodScale: 0.05,
  });
  const origin = runtime.origin;
  const json = { 'content-type': 'application/json' };
  const user = {
    username: `dash_${Date.now().toString(36)}`,
    password: 'correct horse battery staple',
    displayName: 'Dash',
  };
  const userId = String(
    (
      await call(origin, '/users', { method: 'POST', headers: json, body: JSON.stringify(user) })
    ).json()['userId'],
  );
  const token = String(
    (
      await call(origin, '/tokens', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: user.username, password: user.password }),
      })
    ).json()['token'],
  );
  const auth = { authorization: `Bearer ${token}` };
  // Every route of every service, so every function and table has metrics.
  await call(origin, `/profile/${userId}`, {
    method: 'PUT',
    headers: { ...auth, ...json },
    body: '{"displayName":"Dash"}',
  });
  for (let i = 0; i < 3; i++) {
    await call(origin, `/loc/${userId}`, {
      method: 'PUT',
      headers: { ...auth, ...json },
      body: '{"latitude":1,"longitude":2}',
    });
    await call(origin, `/loc/${userId}`, { headers: auth });
    await call(origin, `/loc/${userId}/history`, { headers: auth });
    await call(origin, `/profile/${userId}`, { headers: auth });
  }
  await call(origin, '/tokens/current', { method: 'DELETE', headers: auth });
  browser = await chromium.launchPersistentContext(
    mkdtempSync(join(tmpdir(), 'local-runtime-chromium-')),
    {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  );
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

it('lists every dashboard of the assembly', async () => {
  const page = await browser.newPage();
  await page.goto(`${runtime.origin}/_local/dashboards`);
  const names = await page.$$eval('nav a', (links) => links.map((a) => a.textContent));
  expect(names.sort()).toEqual(
    runtime.system.monitoring.dashboards.map((d) => d.dashboardName).sort(),
  );
  expect(names.length).toBe(3);
});

it.each(['auth', 'location', 'profile'])(
  'draws the %s dashboard with data in every widget that saw traffic',
  async (service) => {
    // `sm-<stage>-<service>` (or `sm-<service>` without stages).
    const name = runtime.system.monitoring.dashboards.find((d) => d.dashboardName.endsWith(`-${service}`))!.dashboardName;
    const page = await browser.newPage();
    const outside: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(runtime.origin) && !request.url().startsWith('data:'))
        outside.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${runtime.origin}/_local/dashboards/${name}`);
    await page.waitForSelector('body[data-rendered]');
    const widgets = await page.$$eval('.w', (els) =>
      els.map((el) => ({
        type: el.getAttribute('data-type'),
        title: el.querySelector('h3')?.textContent ?? '',
        points: Number(el.getAttribute('data-points') ?? 0),
        canvas: el.querySelector('canvas') !== null,
      })),
    );
    const dashboard = runtime.system.monitoring.dashboards.find((d) => d.dashboardName === name)!;
    expect(widgets).toHaveLength((dashboard.body.widgets ?? []).length);
    // Throttles, system errors and ERROR lines never happened: those lines are empty, but each graph
    // that also plots traffic (invocations, capacity) has data. Only the pure-fault graphs may be empty.
    const faultOnly = /throttled requests|system errors/;
    for (const widget of widgets) {
      if (widget.type === 'metric' && faultOnly.test(widget.title)) continue;
      expect({ title: widget.title, hasData: widget.points > 0 }).toEqual({
        title: widget.title,
        hasData: true,
      });
      if (widget.type === 'metric')
        expect({ title: widget.title, canvas: widget.canvas }).toEqual({
          title: widget.title,
          canvas: true,
        });
    }
    expect(widgets.filter((w) => w.type === 'alarm')).toHaveLength(1);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  },
);

it('shows every alarm with its state on the alarms page', async () => {
  const page = await browser.newPage();
  await page.goto(`${runtime.origin}/_local/alarms`);
  await page.waitForSelector('body[data-rendered]');
  const rows = await page.$$eval('.w-table:first-of-type tr', (trs) =>
    trs.slice(1).map((tr) => [tr.querySelector('.s')?.textContent, tr.children[1]?.textContent]),
  );
  expect(rows).toHaveLength(runtime.system.monitoring.alarms.length);
  expect(new Set(rows.map(([state]) => state))).toEqual(new Set(['OK']));
});
