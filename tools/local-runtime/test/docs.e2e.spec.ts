/**
 * `GET /docs` in a real browser (Debian's chromium through playwright-core): every operation of
 * every contract is on the page, and nothing is fetched from outside the local origin.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { findContractSpecs, startRuntime, type RunningRuntime } from '../src';
import { fixtureAssembly } from './helpers';

jest.setTimeout(90_000);

const workspaceRoot = resolve(__dirname, '../../..');
const specs = findContractSpecs(workspaceRoot);
let runtime: RunningRuntime;
let browser: BrowserContext;

beforeAll(async () => {
  runtime = await startRuntime({ assemblyDir: await fixtureAssembly(), port: 0, inMemory: true, quiet: true, docs: specs });
  // A fresh profile directory each run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'local-runtime-chromium-')), {
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
  });
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

it('has a bundled contract for every contract in the repository', () => {
  const contracts = readdirSync(join(workspaceRoot, 'contracts')).filter((name) => existsSync(join(workspaceRoot, 'contracts', name, 'openapi.yaml')));
  expect(specs.map((spec) => spec.name).sort()).toEqual(contracts.sort());
  expect(contracts.length).toBeGreaterThanOrEqual(3);
});

it('lists every operation of every contract, with assets served locally only', async () => {
  const page = await browser.newPage();
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(runtime.origin)) outside.push(request.url());
  });
  await page.goto(runtime.docsUrl);
  const expected = specs.flatMap((spec) =>
    Object.entries((spec.document as { paths: Record<string, Record<string, { operationId?: string }>> }).paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  expect(expected.length).toBeGreaterThan(0);
  await page.locator('.opblock').nth(expected.length - 1).waitFor({ timeout: 30_000 });
  const shown = await page.$$eval('.opblock-summary', (blocks) =>
    blocks.map((block) => {
      const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
      const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
      return `${method} ${path}`;
    }),
  );
  expect(shown.sort()).toEqual(expected.sort());
  expect(outside).toEqual([]);
  await page.screenshot({ path: join(tmpdir(), 'local-runtime-docs.png'), fullPage: false });
});
