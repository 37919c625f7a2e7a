import { run } from './run';

process.exitCode = run(process.argv.slice(2), {
  cwd: process.cwd(),
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
