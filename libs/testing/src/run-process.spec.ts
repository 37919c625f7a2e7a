import { runProcess } from './run-process';

const node = process.execPath;

describe('runProcess', () => {
  it('resolves with the exit code and both streams in the order they were written', async () => {
    const run = await runProcess(
      node,
      [
        '-e',
        'process.stdout.write("out "); setTimeout(() => { process.stderr.write("err"); process.exit(3); }, 50);',
      ],
      { cwd: __dirname, env: process.env, timeoutMs: 10_000 },
    );
    expect(run).toEqual({ code: 3, output: 'out err' });
  });

  it('kills a command that outlives its timeout (one that never exits by itself), so the caller sees a null code', async () => {
    const run = await runProcess(node, ['-e', 'setInterval(() => {}, 1000)'], {
      cwd: __dirname,
      env: process.env,
      timeoutMs: 300,
    });
    expect(run.code).toBeNull();
  });

  it('rejects when the command cannot be started', async () => {
    await expect(
      runProcess('/nonexistent/command', [], {
        cwd: __dirname,
        env: process.env,
        timeoutMs: 1_000,
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});
