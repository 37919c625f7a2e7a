import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE } from './scratch-repo';

/**
 * What actionlint (npm run lint:workflows) does not check and GitHub's security hardening guide
 * asks of every workflow here: actions pinned by full commit SHA with the tag in a comment,
 * permissions granted per job with nothing at the top, and no untrusted event data in `run:`.
 */
const dir = join(WORKSPACE, '.github', 'workflows');
const workflows = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));

interface Workflow {
  permissions?: unknown;
  jobs: Record<string, { permissions?: unknown; steps?: { run?: string; uses?: string }[] }>;
}

describe.each(workflows.map((w) => [w.file, w] as const))('%s', (_file, { text }) => {
  const workflow = parse(text) as Workflow;

  it('pins every action by full commit SHA, with its version tag in a comment', () => {
    const uses = text.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line));

    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it('grants nothing at the top and declares the permissions of every job', () => {
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect({ job: name, permissions: typeof job.permissions }).toEqual({
        job: name,
        permissions: 'object',
      });
    }
  });

  it('never writes a permission in a job that runs the pull request’s code', () => {
    for (const job of Object.values(workflow.jobs)) {
      const runsCode = (job.steps ?? []).some((s) => s.uses?.startsWith('actions/checkout@'));
      const writes = Object.values((job.permissions ?? {}) as Record<string, string>).includes(
        'write',
      );
      expect({ runsCode, writes }).not.toEqual({ runsCode: true, writes: true });
    }
  });

  it('puts no event data or branch name straight into a run: script', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        expect(step.run ?? '').not.toMatch(/\$\{\{\s*(github\.event\.|github\.head_ref|inputs\.)/);
      }
    }
  });
});
