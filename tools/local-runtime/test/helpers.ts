import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureAssembly } from '../fixtures/build';

/** The fixture app with the low limits the end-to-end tests rely on. */
export const TEST_LIMITS = { stageRateLimit: 20, stageBurstLimit: 10, authorizerCacheTtlSeconds: 2 } as const;

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
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
