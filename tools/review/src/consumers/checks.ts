import { childEnv, runAsync, tail } from '../exec';
import type { NxView } from '../nx';

export interface ConsumerCheck {
  readonly project: string;
  readonly target: string;
  readonly status: 'passed' | 'failed' | 'missing';
  readonly ms: number;
  /** The end of the output of a failed run (what failed and where). */
  readonly output?: string;
}

/**
 * Runs each consumer's own targets (`typecheck`, `test` by default) through Nx, so their
 * `dependsOn` regenerates the consumed contract's client first: the consumer is checked against
 * the head's contract, as it will be built. Nx's cache makes this free when nothing they depend
 * on changed since the same run in CI.
 */
export async function runConsumerChecks(
  root: string,
  nx: NxView,
  projects: readonly string[],
  targets: readonly string[],
  log: (line: string) => void,
): Promise<ConsumerCheck[]> {
  const checks: ConsumerCheck[] = [];
  for (const project of projects) {
    for (const target of targets) {
      if (!nx.projects.get(project)?.targets[target]) {
        checks.push({ project, target, status: 'missing', ms: 0 });
        continue;
      }
      log(`consumer check: nx run ${project}:${target}`);
      const result = await runAsync(
        'npx',
        ['nx', 'run', `${project}:${target}`, '--outputStyle=static'],
        {
          cwd: root,
          env: childEnv(),
        },
      );
      checks.push({
        project,
        target,
        status: result.code === 0 ? 'passed' : 'failed',
        ms: result.ms,
        ...(result.code === 0
          ? {}
          : { output: failureOutput(result.output, `${project}:${target}`) }),
      });
    }
  }
  return checks;
}

/**
 * What a reviewer needs from a failed Nx run: the failed task's own output — from its
 * `> nx run <project>:<target>` header (the tasks it depends on, such as regenerating the client,
 * print before it) up to Nx's closing summary (" NX   Running target … failed", the failed-task
 * list, timings) — at most its last 40 lines.
 */
export function failureOutput(output: string, task?: string): string {
  const lines = output.split('\n');
  const summary = lines.findLastIndex((line) => /^\s*NX\s{2,}/.test(line));
  const end = summary > 0 ? summary : lines.length;
  const start = task
    ? lines.slice(0, end).findLastIndex((line) => line.trim() === `> nx run ${task}`)
    : -1;
  return tail(lines.slice(Math.max(start, 0), end).join('\n'), 40);
}
