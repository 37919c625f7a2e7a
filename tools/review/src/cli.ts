import { writeFileSync } from 'node:fs';
import { repositoryRoot } from '@sm/contract-diff';
import { renderMarkdown } from './markdown';
import { parseArgs, USAGE } from './options';
import { review } from './review';

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof options === 'string') {
    process.stderr.write(`review: ${options}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await review({
      root: repositoryRoot(process.cwd()),
      base: options.base,
      consumerTargets: options.consumerTargets,
      infra: options.infra,
      ...(options.baseAssembly ? { baseAssembly: options.baseAssembly } : {}),
      ...(options.headAssembly ? { headAssembly: options.headAssembly } : {}),
      log: (line) => process.stderr.write(`review: ${line}\n`),
    });
    const markdown = renderMarkdown(result);
    if (options.out) writeFileSync(options.out, markdown);
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : markdown);
    return result.verdict.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`review: ${(error as Error).message}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
