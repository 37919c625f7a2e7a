/**
 * Local stand-in for `npx`, in front of the real one (RELEASE_REAL_NPX): it takes over only what
 * would reach AWS or what a test scripts, and passes every other call through unchanged.
 * - `npx cdk …` → the cdk stand-in (./cdk.cjs);
 * - `npx nx run <svc>:deploy:<stage> …` when `state.deployVia` is "nx" → journaled, and the stack's
 *   SSM parameters published as the cdk stand-in would (`<Stage>/Sm<Svc>` in `state.assembly`, if
 *   set) plus `state.publish` rules; the deploy target itself (its synth, the preflight, `cdk
 *   deploy`: all AWS) does not run. Otherwise nx runs for real and its deploy target reaches the
 *   cdk stand-in;
 * - `npx nx show projects --affected …` when `state.affected` is a list → that list, as JSON.
 */
const { spawnSync } = require('node:child_process');
const { load, save, say, journal, publishFor } = require('./state.cjs');
const cdk = require('./cdk.cjs');

const capitalize = (word) => word.charAt(0).toUpperCase() + word.slice(1);

function main(args) {
  if (args[0] === 'cdk') return cdk.main(args.slice(1));
  const state = load();
  if (
    args[0] === 'nx' &&
    args[1] === 'run' &&
    /:deploy(:|$)/.test(args[2] ?? '') &&
    state.deployVia === 'nx'
  ) {
    journal(state, 'npx', args);
    const [service, , stage] = args[2].split(':');
    const stack = `${capitalize(stage ?? 'prod')}/Sm${capitalize(service)}`;
    const published = state.assembly ? cdk.publishFromAssembly(state, stack) : [];
    published.push(...publishFor(state, `nx run ${args[2]}`));
    save(state);
    say(
      'npx',
      `nx run ${args[2]}: deploy target not run (synth, preflight, cdk deploy ${stack}), nothing sent to AWS${published.length ? `; published ${published.join(', ')}` : ''}`,
    );
    return 0;
  }
  if (
    args[0] === 'nx' &&
    args[1] === 'show' &&
    args.includes('--affected') &&
    Array.isArray(state.affected)
  ) {
    journal(state, 'npx', args);
    say(
      'npx',
      `nx show projects --affected → ${state.affected.join(', ') || 'none'} (as the test set it)`,
    );
    process.stdout.write(`${JSON.stringify(state.affected)}\n`);
    return 0;
  }
  const real = process.env.RELEASE_REAL_NPX;
  if (!real) {
    say('npx', 'RELEASE_REAL_NPX is not set: cannot pass the call through');
    return 70;
  }
  const result = spawnSync(real, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
