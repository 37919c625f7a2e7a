import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditVerdict, type AuditException } from './dependency-audit';

/**
 * npm run audit:deps [-- --required]
 *
 * `npm audit --omit=dev --audit-level=high` with the verdict said plainly. Exit 1 on a high or
 * critical advisory not accepted in tools/release/audit-exceptions.json. When the registry refuses
 * the audit endpoint (this workplace's mirror answers 405), it says the audit did NOT run — never
 * "clean" — and exits 0, or 1 with `--required` (the release pipeline, whose CodeBuild reaches the
 * public registry, must not release unaudited).
 */
const root = join(__dirname, '..', '..', '..', '..');
const required = process.argv.includes('--required');
const exceptions = (JSON.parse(readFileSync(join(root, 'tools/release/audit-exceptions.json'), 'utf8')) as { exceptions: AuditException[] }).exceptions;
const npm = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
const verdict = auditVerdict(npm.stdout ?? '', exceptions, new Date().toISOString().slice(0, 10));

switch (verdict.kind) {
  case 'not-run':
    console.log(`audit:deps: NOT RUN — the registry did not answer the audit (${verdict.why}). No result: this is not a clean audit.`);
    process.exit(required ? 1 : 0);
    break;
  case 'clean':
    for (const f of verdict.accepted) console.log(`audit:deps: accepted ${f.severity} ${f.package}: ${f.title} (${f.advisory}) — see tools/release/audit-exceptions.json`);
    console.log(`audit:deps: no high or critical advisory in production dependencies${verdict.accepted.length ? ` beyond ${verdict.accepted.length} accepted` : ''}`);
    break;
  case 'failed':
    for (const f of verdict.findings) console.log(`audit:deps: ${f.severity} ${f.package}: ${f.title} (${f.advisory})`);
    console.log(`audit:deps: FAILED — ${verdict.findings.length} high or critical advisory(ies); fix, or accept each in tools/release/audit-exceptions.json with a reason and an end date`);
    process.exit(1);
}
