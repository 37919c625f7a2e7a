import type { Change, ContractReport } from '@sm/contract-diff';
import type { ResourceChange } from '@sm/template-diff';
import type { StagePlan } from './deploy/plan';
import type { StackDiff } from './infra/stack-diffs';
import type { OperationReview, ReviewResult } from './review';

/** The first line of every summary: the workflow finds its own PR comment by it, to update it. */
export const MARKER = '<!-- sm-review -->';

/** Rows shown per long table before the rest is counted, so a comment stays under GitHub's 65,536 characters. */
const MAX_ROWS = 40;

/** The review as Markdown: for the PR comment, `$GITHUB_STEP_SUMMARY` and the terminal alike. */
export function renderMarkdown(result: ReviewResult): string {
  return [
    MARKER,
    ...header(result),
    ...contracts(result),
    ...consumers(result),
    ...deployPlan(result),
    ...infrastructure(result),
    ...footer(result),
  ].join('\n');
}

function header(result: ReviewResult): string[] {
  const { verdict } = result;
  const title = verdict.ok
    ? `## Pull-request review: ✅ ${verdict.warnings.length > 0 ? `passes, ${plural(verdict.warnings.length, 'warning')}` : 'passes'}`
    : `## Pull-request review: ❌ ${plural(verdict.reasons.length, 'problem')}`;
  const headLabel = result.head.dirty
    ? `the working tree (on \`${short(result.head.commit)}\`, with uncommitted changes)`
    : `\`${short(result.head.commit)}\``;
  return [
    title,
    '',
    `Base \`${result.base.ref}\` (\`${short(result.base.commit)}\`) → head ${headLabel}.`,
    '',
    ...verdict.reasons.map((r) => `- ❌ ${r}`),
    ...verdict.warnings.map((w) => `- ⚠️ ${w}`),
    ...(verdict.reasons.length + verdict.warnings.length > 0 ? [''] : []),
  ];
}

function contracts(result: ReviewResult): string[] {
  const lines = ['### Contracts', ''];
  const reports = result.contracts.contracts;
  if (reports.length === 0) return [...lines, 'No contracts on either side.', ''];
  lines.push('| contract | version | breaking | non-breaking | verdict |', '|---|---|---|---|---|');
  for (const report of reports) {
    const breaking = report.changes.filter((c) => c.class === 'breaking').length;
    const compatible = report.changes.length - breaking;
    lines.push(
      row([
        code(report.path),
        version(report),
        report.status === 'unchanged' ? '–' : String(breaking),
        report.status === 'unchanged' ? '–' : String(compatible),
        contractVerdict(report),
      ]),
    );
  }
  lines.push('');
  for (const report of reports.filter((r) => r.status !== 'unchanged')) {
    lines.push(`#### ${code(report.path)}`, '');
    lines.push('| | operation | where | change | called here by |', '|---|---|---|---|---|');
    const operations = result.operations.filter((o) => o.contract === report.path);
    const rows: string[] = [];
    for (const change of [...report.changes].sort(breakingFirst)) {
      const operation = change.operation
        ? operations.find(
            (o) => o.method === change.operation?.method && o.path === change.operation.path,
          )
        : undefined;
      rows.push(
        row([
          changeClass(change, report.majorBumped),
          change.operation
            ? `${code(`${change.operation.method} ${change.operation.path}`)}${change.operation.operationId ? ` ${change.operation.operationId}` : ''}`
            : '(document)',
          where(change),
          `${change.message} ${code(change.code)}`,
          callers(change, operation),
        ]),
      );
    }
    lines.push(...capped(rows, 'changes'), '');
  }
  return lines;
}

function consumers(result: ReviewResult): string[] {
  const lines = ['### Consumers', ''];
  const changed = result.contracts.contracts.filter((c) => c.status !== 'unchanged');
  if (changed.length === 0) return [...lines, 'No contract changed: nothing to check.', ''];
  if (result.consumers.length === 0) {
    return [
      ...lines,
      'No service in this repository calls a changed contract through its generated client: only external clients are affected.',
      '',
    ];
  }
  const targets = [...new Set(result.consumers.flatMap((c) => c.checks.map((k) => k.target)))];
  lines.push(
    `Services that call a changed contract through its generated client, found in their source by the type checker; their own ${targets.map(code).join(' and ') || 'checks'} ran against the head's contract.`,
    '',
    `| service | calls | ${targets.join(' | ')} |`,
    `|---|---|${targets.map(() => '---|').join('')}`,
  );
  for (const consumer of result.consumers) {
    const calls = consumer.calls
      .map((c) => `${code(`${c.method} ${c.path}`)} at ${code(`${c.file}:${c.line}`)}`)
      .join('<br>');
    const cells = targets.map((target) => {
      const check = consumer.checks.find((k) => k.target === target);
      if (!check) return 'not run';
      if (check.status === 'missing') return 'no such target';
      return `${check.status === 'passed' ? '✅ passed' : '❌ failed'} (${seconds(check.ms)})`;
    });
    lines.push(row([consumer.project, calls, ...cells]));
  }
  lines.push('');
  for (const check of result.consumers.flatMap((c) =>
    c.checks.filter((k) => k.status === 'failed'),
  )) {
    lines.push(
      `<details><summary>${check.project}:${check.target} failed — the end of its output</summary>`,
      '',
      '```',
      check.output ?? '',
      '```',
      '</details>',
      '',
    );
  }
  return lines;
}

function deployPlan(result: ReviewResult): string[] {
  const plan = result.deployPlan;
  const lines = ['### Deploy plan', ''];
  if (plan.projects.length === 0) return [...lines, '`nx affected -t deploy` deploys nothing.', ''];
  lines.push(`\`nx affected -t deploy\` deploys **${plan.projects.join(', ')}**:`, '');
  if (!plan.resolved) {
    return [
      ...lines,
      'Stacks not resolved: no synthesized assembly of the head (`--no-infra`).',
      '',
    ];
  }
  lines.push('| stage | stacks, in deployment order |', '|---|---|');
  for (const stage of plan.stages) lines.push(row([stageName(stage), stackOrder(stage)]));
  lines.push(
    '',
    plan.orderEnforcedByNx
      ? 'Order: each stack after the stacks it depends on (the cloud assembly); Nx enforces it between the deploy targets.'
      : 'Order: each stack after the stacks it depends on (the cloud assembly). Nx does not order these deploy targets (no `dependsOn` between them): run one at a time, they must run in this order.',
    '',
  );
  return lines;
}

function infrastructure(result: ReviewResult): string[] {
  const lines = ['### Infrastructure', ''];
  const infra = result.infrastructure;
  if (!('stacks' in infra)) {
    if (!infra.error) return [...lines, `Skipped: ${infra.skipped}.`, ''];
    return [
      ...lines,
      `❌ No diff: ${infra.skipped}.`,
      '',
      '```',
      tailLines(infra.error, 40),
      '```',
      '',
    ];
  }
  const timing = (side: { ms: number; packages: string }) =>
    side.packages === 'given'
      ? 'given'
      : `${seconds(side.ms)}${side.packages === 'npm ci' ? ', after `npm ci`' : ''}`;
  lines.push(
    `The head's synthesized templates against the base's, offline (\`@aws-cdk/cloudformation-diff\`, as \`cdk diff\`); synthesized base ${timing(infra.base)}, head ${timing(infra.head)}.`,
    '',
  );
  for (const value of infra.stranded) {
    const readers = [
      ...value.readAtDeploy.map(
        (r) => `**${r}** reads it at deployment: deploy it again after this`,
      ),
      ...value.readAtRunTime.map((r) => `${r} reads it at run time`),
    ];
    lines.push(
      `- ⚠️ published value ${code(value.parameterName)} (${code(value.stackName)}): ${value.why}${readers.length > 0 ? `; ${readers.join('; ')}` : ''}`,
    );
  }
  if (infra.stranded.length > 0) lines.push('');
  const changed = infra.stacks.filter((s) => s.status !== 'unchanged');
  if (changed.length === 0) {
    return [...lines, `No stack changes (${plural(infra.stacks.length, 'stack')} compared).`, ''];
  }
  // Prod first in full; another stage whose changes are the same as prod's says so in one line.
  const groups = groupByStage(changed);
  const [first, ...rest] = groups;
  lines.push(
    '| stack | deployed by | added | removed | replaced | updated | IAM |',
    '|---|---|---|---|---|---|---|',
  );
  for (const stack of changed) lines.push(stackRow(stack));
  lines.push('');
  for (const group of [first, ...rest]) {
    if (!group) continue;
    if (group !== first && first && sameChanges(group.stacks, first.stacks)) {
      lines.push(
        `**${group.stage ?? 'top level'}**: the same changes as ${first.stage ?? 'the top-level stacks'} (${group.stacks.map((s) => code(s.id)).join(', ')}).`,
        '',
      );
      continue;
    }
    for (const stack of group.stacks) lines.push(...stackDetails(stack));
  }
  return lines;
}

function footer(result: ReviewResult): string[] {
  const steps = Object.entries(result.timings)
    .map(([step, ms]) => `${step} ${seconds(ms)}`)
    .join(', ');
  return [`<sub>\`npm run review -- --base ${result.base.ref}\` · ${steps}</sub>`, ''];
}

// --- pieces -------------------------------------------------------------------------------

function stackRow(stack: StackDiff): string {
  const count = (...actions: ResourceChange['action'][]) =>
    stack.changes.resources.filter((r) => actions.includes(r.action)).length || '–';
  const iam = stack.changes.iam;
  const iamCell =
    iam.statements.length + iam.managedPolicies.length === 0
      ? '–'
      : `${iam.broadened ? '⚠️ broadened' : 'changed'} (${iam.statements.length + iam.managedPolicies.length})`;
  const status =
    stack.status === 'added' ? ' (new)' : stack.status === 'removed' ? ' (**removed**)' : '';
  return row([
    `${code(stack.id)}${status}`,
    stack.deployedBy.length > 0 ? stack.deployedBy.join(', ') : '⚠️ nothing',
    String(count('add', 'import')),
    String(count('remove', 'orphan')),
    String(count('replace', 'may-replace')),
    String(count('update')),
    iamCell,
  ]);
}

function stackDetails(stack: StackDiff): string[] {
  const lines = [`#### ${code(stack.id)} (${stack.stackName})`, ''];
  const c = stack.changes;
  const risky = c.resources.filter((r) =>
    ['replace', 'may-replace', 'remove', 'orphan'].includes(r.action),
  );
  for (const r of risky) {
    const why = r.properties
      .filter((p) => p.impact === 'replace' || p.impact === 'may-replace')
      .map((p) => code(p.name));
    lines.push(
      `- ⚠️ **${actionWords(r.action)}**: ${resourceName(r, stack.id)} ${code(r.type)}${r.stateful ? ' — **holds data**' : ''}${why.length > 0 ? `; because of ${why.join(', ')}` : ''}`,
    );
  }
  for (const r of c.resources.filter((r) => r.action === 'add' || r.action === 'import')) {
    lines.push(`- added: ${resourceName(r, stack.id)} ${code(r.type)}`);
  }
  for (const s of c.iam.statements) {
    lines.push(
      `- 🔐 IAM statement ${s.change}: ${s.effect} ${code(s.actions)} on ${code(s.resources)}${s.principals ? ` for ${code(s.principals)}` : ''}${s.condition ? ` when ${code(s.condition)}` : ''}`,
    );
  }
  for (const m of c.iam.managedPolicies) {
    lines.push(
      `- 🔐 managed policy ${m.change}: ${code(m.managedPolicyArn)} on ${code(m.resource)}`,
    );
  }
  for (const rule of c.securityGroups.slice(1))
    lines.push(`- 🔐 security group rule: ${code(rule.join(' '))}`);
  if (c.parameters.length > 0)
    lines.push(`- parameters changed: ${c.parameters.map(code).join(', ')}`);
  if (c.outputs.length > 0) lines.push(`- outputs changed: ${c.outputs.map(code).join(', ')}`);
  const updated = c.resources.filter((r) => r.action === 'update');
  if (updated.length > 0) {
    if (lines.length > 2) lines.push('');
    lines.push(
      `<details><summary>${plural(updated.length, 'resource')} updated in place</summary>`,
      '',
      '| resource | type | changes |',
      '|---|---|---|',
      ...capped(
        updated.map((r) =>
          row([
            resourceName(r, stack.id),
            code(r.type),
            r.properties.map((p) => p.name).join(', '),
          ]),
        ),
        'resources',
      ),
      '',
      '</details>',
    );
  }
  lines.push('');
  return lines;
}

interface StageGroup {
  readonly stage?: string;
  readonly stacks: StackDiff[];
}

/** Stacks by stage, the prod stage (or the top level, where there are no stages) first. */
function groupByStage(stacks: readonly StackDiff[]): StageGroup[] {
  const groups = new Map<string | undefined, StackDiff[]>();
  for (const stack of stacks) groups.set(stack.stage, [...(groups.get(stack.stage) ?? []), stack]);
  const rank = (stage: string | undefined) =>
    stage === undefined ? 0 : /^prod(uction)?$/i.test(stage) ? 1 : 2;
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a ?? '').localeCompare(b ?? ''))
    .map(([stage, list]) => ({ ...(stage === undefined ? {} : { stage }), stacks: list }));
}

/** Whether two stages' stacks change the same resources the same way (names aside). */
function sameChanges(a: readonly StackDiff[], b: readonly StackDiff[]): boolean {
  const signature = (stacks: readonly StackDiff[]) =>
    JSON.stringify(
      stacks
        .map((s) => ({
          stack: s.id.slice((s.stage?.length ?? -1) + 1),
          status: s.status,
          resources: s.changes.resources.map((r) => [
            r.logicalId,
            r.action,
            r.properties.map((p) => p.name),
          ]),
          iam: s.changes.iam.statements.map((st) => [st.change, st.effect, st.actions]),
        }))
        .sort((x, y) => x.stack.localeCompare(y.stack)),
    );
  return signature(a) === signature(b);
}

function stageName(stage: StagePlan): string {
  return stage.configuration === null ? '(default)' : code(`-c ${stage.configuration}`);
}

function stackOrder(stage: StagePlan): string {
  const stacks = stage.stacks.map((s, i) => `${i + 1}. ${code(s.id)} (${s.project})`).join(' → ');
  const problems = stage.problems.map((p) => `⚠️ ${p}`).join('<br>');
  return [stacks || 'no stack', problems].filter(Boolean).join('<br>');
}

function contractVerdict(report: ContractReport): string {
  switch (report.status) {
    case 'unchanged':
      return 'unchanged';
    case 'added':
      return '✅ new contract';
    case 'removed':
      return '❌ removed';
    default:
      if (report.unmarkedBreaking > 0) return '❌ breaking without a major version bump';
      if (report.majorBumped && report.changes.some((c) => c.class === 'breaking'))
        return '✅ breaking, major version bumped';
      return '✅ compatible';
  }
}

function version(report: ContractReport): string {
  return report.baseVersion === report.headVersion
    ? (report.headVersion ?? '–')
    : `${report.baseVersion ?? '–'} → ${report.headVersion ?? '–'}`;
}

function changeClass(change: Change, majorBumped: boolean): string {
  if (change.class === 'non-breaking') return 'non-breaking';
  return majorBumped ? 'breaking (allowed)' : '**breaking**';
}

function where(change: Change): string {
  const part = change.location.split(' › ').slice(1).join(' › ');
  const at = change.source ? ` (${code(`${change.source.file}:${change.source.line}`)})` : '';
  return `${part ? code(part) : ''}${at}` || '–';
}

function callers(change: Change, operation: OperationReview | undefined): string {
  const projects = [...new Set(operation?.callers.map((c) => c.project) ?? [])];
  if (change.class === 'breaking') {
    return projects.length > 0 ? `**breaks ${projects.join(', ')}**` : 'external clients only';
  }
  return projects.length > 0 ? projects.join(', ') : '–';
}

function breakingFirst(a: Change, b: Change): number {
  return (a.class === 'breaking' ? 0 : 1) - (b.class === 'breaking' ? 0 : 1);
}

function actionWords(action: ResourceChange['action']): string {
  return {
    replace: 'replaced',
    'may-replace': 'may be replaced',
    remove: 'removed',
    orphan: 'removed from the stack but retained (orphaned)',
    add: 'added',
    update: 'updated',
    import: 'imported',
  }[action];
}

function resourceName(r: ResourceChange, stackId: string): string {
  // `Prod/SmLocation/Locations/Table/Resource` → `Locations/Table`: the construct path a developer wrote.
  const path = r.path?.startsWith(`${stackId}/`)
    ? r.path.slice(stackId.length + 1).replace(/\/Resource$/, '')
    : undefined;
  return code(path || r.logicalId);
}

function tailLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function capped(rows: string[], what: string): string[] {
  if (rows.length <= MAX_ROWS) return rows;
  return [
    ...rows.slice(0, MAX_ROWS),
    `| … and ${rows.length - MAX_ROWS} more ${what} (see \`--json\`) | | | | |`,
  ];
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}

function code(text: string): string {
  // A backtick inside is doubled-fenced so the span still closes.
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function short(commit: string): string {
  return commit.slice(0, 12);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
