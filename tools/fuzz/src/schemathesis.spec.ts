import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzContract } from './contracts';
import {
  CHECKS,
  runSchemathesis,
  schemathesisArgs,
  schemathesisEnv,
  type SchemathesisRun,
} from './schemathesis';

const contract: FuzzContract = {
  name: 'auth',
  title: 'Auth service',
  specPath: '/repo/contracts/auth/src/generated/openapi.json',
  operations: [],
};
const run: SchemathesisRun = {
  contract,
  baseUrl: 'http://127.0.0.1:4321',
  ratePerSecond: 8,
  reportDir: '/reports/auth',
  options: {
    maxExamples: 10,
    maxTimeSeconds: undefined,
    seed: 5,
    phases: ['examples', 'coverage', 'fuzzing'],
    workers: 2,
    continueOnFailure: false,
  },
};

function valueOf(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

describe('schemathesisArgs', () => {
  it('fuzzes the bundled contract at the runtime, positive and negative data, with the chosen checks and bounds', () => {
    const args = schemathesisArgs(run, '/reports/auth/schemathesis.toml');
    expect(args.slice(0, 4)).toEqual([
      '--config-file',
      '/reports/auth/schemathesis.toml',
      'run',
      contract.specPath,
    ]);
    expect(valueOf(args, '--url')).toBe('http://127.0.0.1:4321');
    expect(valueOf(args, '--mode')).toBe('all');
    expect(valueOf(args, '--checks')?.split(',')).toEqual([...CHECKS]);
    expect(valueOf(args, '--max-examples')).toBe('10');
    expect(valueOf(args, '--seed')).toBe('5');
    expect(valueOf(args, '--rate-limit')).toBe('8/s');
    expect(valueOf(args, '--phases')).toBe('examples,coverage,fuzzing');
    expect(valueOf(args, '--report-json-path')).toBe('/reports/auth/report.json');
    expect(args).not.toContain('--max-time');
    expect(args).not.toContain('--continue-on-failure');
  });

  it('checks what the design demands: no 5xx, declared statuses, content types and schemas, malformed requests refused', () => {
    for (const check of [
      'not_a_server_error',
      'status_code_conformance',
      'content_type_conformance',
      'response_schema_conformance',
      'negative_data_rejection',
      'positive_data_acceptance',
    ]) {
      expect(CHECKS).toContain(check);
    }
  });

  it('passes a time budget and keeps going after failures when asked to', () => {
    const args = schemathesisArgs(
      { ...run, options: { ...run.options, maxTimeSeconds: 120, continueOnFailure: true } },
      'c.toml',
    );
    expect(valueOf(args, '--max-time')).toBe('120');
    expect(args).toContain('--continue-on-failure');
  });
});

describe('schemathesisEnv', () => {
  it('loads the hooks and tells them the target and the fuzz user', () => {
    const env = schemathesisEnv(
      {
        baseUrl: 'http://127.0.0.1:4321/_aws/execute-api/llllllllll/prod',
        authUrl: 'http://127.0.0.1:4321/_aws/execute-api/aaaaaaaaaa/prod',
        deployed: false,
      },
      { userId: 'u', username: 'n', password: 'p', token: 't' },
      '/hooks',
      { PYTHONPATH: '/other', HOME: '/root' },
    );
    expect(env).toMatchObject({
      HOME: '/root',
      PYTHONPATH: '/hooks:/other',
      SCHEMATHESIS_HOOKS: 'fuzz_hooks',
      FUZZ_BASE_URL: 'http://127.0.0.1:4321/_aws/execute-api/llllllllll/prod',
      FUZZ_AUTH_URL: 'http://127.0.0.1:4321/_aws/execute-api/aaaaaaaaaa/prod',
      FUZZ_DEPLOYED: '0',
      FUZZ_USER_ID: 'u',
      FUZZ_USERNAME: 'n',
      FUZZ_PASSWORD: 'p',
      FUZZ_TOKEN: 't',
    });
  });
});

describe('runSchemathesis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-run-'));
  function script(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it('returns the exit code and everything the run printed, also kept in its log file', async () => {
    const outcome = await runSchemathesis(
      script('exit3', 'echo report; echo warning >&2; exit 3'),
      ['--url', 'http://127.0.0.1:1'],
      process.env,
      join(dir, 'a'),
      10,
    );
    expect(outcome).toMatchObject({ exitCode: 3, timedOut: false });
    expect(outcome.output.split('\n').sort()).toEqual(['', 'report', 'warning']);
    expect(readFileSync(join(dir, 'a', 'schemathesis.log'), 'utf8')).toBe(outcome.output);
  });

  it('stops a run that outlives its timeout', async () => {
    const outcome = await runSchemathesis(
      script('hang', 'exec sleep 30'),
      ['--url', 'http://127.0.0.1:1'],
      process.env,
      join(dir, 'b'),
      1,
    );
    expect(outcome.timedOut).toBe(true);
    expect(outcome.seconds).toBeLessThan(10);
  });

  it('never starts against a target off this machine unless a deployed stage was named, and then over https only', async () => {
    await expect(
      runSchemathesis(
        script('never', 'exit 0'),
        ['--url', 'http://10.1.2.3:80'],
        process.env,
        join(dir, 'c'),
        10,
      ),
    ).rejects.toThrow(/only loopback/);
    await expect(
      runSchemathesis(
        script('never', 'exit 0'),
        ['--url', 'http://10.1.2.3:80'],
        process.env,
        join(dir, 'c'),
        10,
        { deployed: true },
      ),
    ).rejects.toThrow(/over https only/);
    const deployed = await runSchemathesis(
      script('deployed', 'exit 0'),
      ['--url', 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging'],
      process.env,
      join(dir, 'd'),
      10,
      {
        deployed: true,
      },
    );
    expect(deployed.exitCode).toBe(0);
  });
});
