/**
 * Local stand-in for `cdk deploy <stack…> [flags]` (the only cdk command the release steps run
 * through nx's deploy targets). It deploys nothing: it checks each stack exists in the cloud
 * assembly the rehearsal synthesized, journals the call, and "publishes" the stack's SSM
 * parameters into the stand-in state — each value rendered from the template (a literal, or the
 * intrinsic that CloudFormation would resolve), so a replaced resource publishes a new value just
 * as it would in AWS. `state.publish` rules, if any, apply on top (tests).
 */
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { load, save, say, journal, publishFor } = require('./state.cjs');

function main(args) {
  const state = load();
  journal(state, 'cdk', args);
  if (args[0] !== 'deploy') {
    say('cdk', `the stand-in implements 'cdk deploy' only, got 'cdk ${args.join(' ')}'`);
    return 1;
  }
  const stacks = args.slice(1).filter((arg) => !arg.startsWith('-') && !isFlagValue(args, arg));
  if (stacks.length === 0) {
    say('cdk', 'cdk deploy without a stack: the steps always name one');
    return 1;
  }
  for (const selector of stacks) {
    const published = state.assembly ? publishFromAssembly(state, selector) : [];
    published.push(...publishFor(state, `cdk deploy ${selector}`));
    save(state);
    say(
      'cdk',
      `deploy ${selector}: nothing sent to AWS${published.length ? `; published ${published.join(', ')}` : ''}`,
    );
  }
  return 0;
}

/** Flags of `cdk deploy` that take a value (the next argument is not a stack). */
function isFlagValue(args, arg) {
  const index = args.indexOf(arg);
  return (
    index > 0 &&
    [
      '--require-approval',
      '--parameters',
      '--context',
      '-c',
      '--toolkit-stack-name',
      '--method',
    ].includes(args[index - 1])
  );
}

/** Finds the stack by construct path (`Staging/SmAuth`) or stack name in the assembly and its nested ones. */
function findStack(assemblyDir, selector) {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8'));
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const name = artifact.properties?.stackName ?? id;
      if (artifact.displayName === selector || name === selector || id === selector) {
        return join(assemblyDir, artifact.properties.templateFile);
      }
    }
    if (artifact.type === 'cdk:cloud-assembly') {
      const nested = findStack(join(assemblyDir, artifact.properties.directoryName), selector);
      if (nested) return nested;
    }
  }
  return undefined;
}

function publishFromAssembly(state, selector) {
  if (!existsSync(join(state.assembly, 'manifest.json')))
    throw new Error(`no cloud assembly at ${state.assembly}`);
  const templateFile = findStack(state.assembly, selector);
  if (!templateFile)
    throw new Error(`stack ${selector} is not in the cloud assembly ${state.assembly}`);
  const template = JSON.parse(readFileSync(templateFile, 'utf8'));
  const published = [];
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::SSM::Parameter' || typeof resource.Properties?.Name !== 'string')
      continue;
    const value = resource.Properties.Value;
    state.ssm[resource.Properties.Name] =
      typeof value === 'string' ? value : `stand-in:${JSON.stringify(value)}`;
    published.push(resource.Properties.Name);
  }
  return published;
}

module.exports = { main, publishFromAssembly };
if (require.main === module) process.exitCode = main(process.argv.slice(2));
