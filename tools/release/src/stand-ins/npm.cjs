/**
 * Local stand-in for `npm`, in front of the real one (RELEASE_REAL_NPM). It takes over only the
 * calls `state.npm` names (regular expression over the arguments → "pass" or "fail"), for npm
 * scripts that would reach AWS in a test that is about something else (the preflight reads the
 * account's Lambda quota); every other call runs the real npm.
 */
const { spawnSync } = require('node:child_process');
const { load, say, journal } = require('./state.cjs');

function main(args) {
  const state = load();
  const rendered = args.join(' ');
  const rule = Object.entries(state.npm ?? {}).find(([pattern]) =>
    new RegExp(pattern).test(rendered),
  );
  if (rule) {
    journal(state, 'npm', args);
    say(
      'npm',
      `npm ${rendered}: ${rule[1] === 'fail' ? 'failing' : 'passing'} as the test set it (nothing run, nothing sent to AWS)`,
    );
    return rule[1] === 'fail' ? 1 : 0;
  }
  const real = process.env.RELEASE_REAL_NPM;
  if (!real) {
    say('npm', 'RELEASE_REAL_NPM is not set: cannot pass the call through');
    return 70;
  }
  const result = spawnSync(real, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
