import type { ContractReport } from './types';

export interface Summary {
  readonly base: string;
  readonly contracts: readonly ContractReport[];
  readonly breaking: number;
  /** Breaking changes not covered by a major version bump: the check fails when > 0. */
  readonly unmarkedBreaking: number;
  readonly ok: boolean;
}

export function summarize(base: string, contracts: readonly ContractReport[]): Summary {
  const breaking = contracts.reduce(
    (n, c) => n + c.changes.filter((x) => x.class === 'breaking').length,
    0,
  );
  const unmarkedBreaking = contracts.reduce((n, c) => n + c.unmarkedBreaking, 0);
  return { base, contracts, breaking, unmarkedBreaking, ok: unmarkedBreaking === 0 };
}

/** The human report: one block per contract, one line pair per change, a verdict at the end. */
export function formatText(summary: Summary): string {
  const lines: string[] = [`Contract changes against ${summary.base}`, ''];
  if (summary.contracts.length === 0)
    lines.push('No contracts found at contracts/<svc>/openapi.yaml on either side: no changes.');
  for (const contract of summary.contracts) {
    const versions =
      contract.baseVersion === contract.headVersion
        ? `version ${contract.headVersion ?? '-'}`
        : `version ${contract.baseVersion ?? '-'} → ${contract.headVersion ?? '-'}`;
    if (contract.status === 'unchanged') {
      lines.push(`${contract.path}: no changes (${versions})`);
      continue;
    }
    const breaking = contract.changes.filter((c) => c.class === 'breaking').length;
    const counts = `${breaking} breaking, ${contract.changes.length - breaking} non-breaking`;
    const bump = contract.majorBumped ? ', major bump' : '';
    lines.push(`${contract.path}: ${contract.status} (${versions}${bump}; ${counts})`);
    const width = contract.majorBumped ? 'breaking (allowed)'.length : 'non-breaking'.length;
    for (const change of contract.changes) {
      const label =
        change.class === 'breaking' && contract.majorBumped ? 'breaking (allowed)' : change.class;
      const at = change.source ? ` (${change.source.file}:${change.source.line})` : '';
      lines.push(`  ${label.padEnd(width)}  ${change.location}`);
      lines.push(`  ${''.padEnd(width)}  ${change.message} [${change.code}]${at}`);
    }
    lines.push('');
  }
  if (lines[lines.length - 1] !== '') lines.push('');
  lines.push(verdict(summary));
  return `${lines.join('\n')}\n`;
}

function verdict(summary: Summary): string {
  const changed = summary.contracts.filter((c) => c.status !== 'unchanged').length;
  if (changed === 0) return 'Result: no changes.';
  if (summary.unmarkedBreaking > 0) {
    return `Result: FAILED — ${summary.unmarkedBreaking} breaking change(s) without a major version bump. Bump info.version's major number if the break is intended, or make the change compatible.`;
  }
  if (summary.breaking > 0)
    return `Result: OK — ${summary.breaking} breaking change(s), allowed by a major version bump.`;
  return 'Result: OK — all changes are compatible.';
}

export function formatJson(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
