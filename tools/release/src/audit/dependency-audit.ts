/**
 * The verdict on `npm audit --omit=dev --json` output: which high or critical advisories fail the
 * release, which are accepted (written down with a reason in tools/release/audit-exceptions.json),
 * and — the case this module exists to say plainly — when no audit happened at all because the
 * registry refused its audit endpoint. That is never reported as clean.
 */

/** An accepted advisory: written down, with why, and until when it is accepted. */
export interface AuditException {
  /** The advisory's URL (`https://github.com/advisories/GHSA-…`) as npm audit reports it. */
  readonly advisory: string;
  readonly package: string;
  readonly reason: string;
  /** ISO date after which the exception lapses and the advisory fails the release again. */
  readonly until: string;
}

export type AuditVerdict =
  | { readonly kind: 'not-run'; readonly why: string }
  | { readonly kind: 'clean'; readonly accepted: readonly Finding[] }
  | { readonly kind: 'failed'; readonly findings: readonly Finding[]; readonly accepted: readonly Finding[] };

export interface Finding {
  readonly package: string;
  readonly severity: string;
  readonly title: string;
  readonly advisory: string;
}

const FAILING = new Set(['high', 'critical']);

/** Reads npm audit's JSON (npm 7+ report format) and the exceptions in force on `today`. */
export function auditVerdict(output: string, exceptions: readonly AuditException[], today: string): AuditVerdict {
  let report: Record<string, any>;
  try {
    report = JSON.parse(output) as Record<string, any>;
  } catch {
    return { kind: 'not-run', why: `npm audit printed no JSON report: ${output.trim().slice(0, 200) || '(nothing)'}` };
  }
  if (report['vulnerabilities'] === undefined) {
    // npm prints the registry's refusal as JSON too: { message: '405 Method Not Allowed - POST …/advisories/bulk', statusCode: 405 }.
    const why = typeof report['message'] === 'string' ? report['message'] : typeof report['error']?.['summary'] === 'string' ? report['error']['summary'] : 'no vulnerabilities section';
    return { kind: 'not-run', why };
  }
  const findings: Finding[] = [];
  for (const [name, entry] of Object.entries(report['vulnerabilities'] as Record<string, any>)) {
    for (const via of (entry['via'] ?? []) as unknown[]) {
      // A `via` string names the dependency the advisory came through; it is reported under that package itself.
      if (typeof via !== 'object' || via === null) continue;
      const advisory = via as Record<string, unknown>;
      if (!FAILING.has(String(advisory['severity']))) continue;
      findings.push({ package: name, severity: String(advisory['severity']), title: String(advisory['title'] ?? ''), advisory: String(advisory['url'] ?? '') });
    }
  }
  const inForce = exceptions.filter((exception) => exception.until >= today);
  const isAccepted = (finding: Finding) => inForce.some((exception) => exception.advisory === finding.advisory && exception.package === finding.package);
  const accepted = findings.filter(isAccepted);
  const failing = findings.filter((finding) => !isAccepted(finding));
  return failing.length === 0 ? { kind: 'clean', accepted } : { kind: 'failed', findings: failing, accepted };
}
