import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureAssembly } from '../fixtures/build';

/** The fixture app with the low limits the end-to-end tests rely on. */
export const TEST_LIMITS = {
  stageRateLimit: 20,
  stageBurstLimit: 10,
  authorizerCacheTtlSeconds: 2,
} as const;

export function fixtureAssembly(): Promise<string> {
  return buildFixtureAssembly(TEST_LIMITS);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `local-runtime-${prefix}-`));
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/** One HTTP request to the runtime, body read as text. */
export async function call(origin: string, path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${origin}${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `GET /items/{id}` of steady traffic, and its answer. */
export interface SentItem {
  id: string;
  /** When the request was sent, and when its answer came. */
  sentAt: number;
  at: number;
  status: number;
  body: { id?: string; build?: string; version?: string };
}

/**
 * Steady `GET /items/{id}` traffic (the canary fixture's route) from a few clients, each pausing
 * between calls, until `stop()`; every answer kept, each request with an id of its own.
 */
export function itemTraffic(origin: string, clients: number, pauseMs: number) {
  const sent: SentItem[] = [];
  let running = true;
  let n = 0;
  const client = async (c: number) => {
    while (running) {
      const id = `c${c}-${n++}`;
      const sentAt = Date.now();
      const response = await fetch(`${origin}/items/${id}`);
      const text = await response.text();
      let body: SentItem['body'] = {};
      try {
        body = JSON.parse(text) as SentItem['body'];
      } catch {
        body = {};
      }
      sent.push({ id, sentAt, at: Date.now(), status: response.status, body });
      await sleep(pauseMs);
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return {
    sent,
    async stop() {
      running = false;
      await done;
    },
  };
}
