/**
 * Local stand-in for the AWS CLI commands the release steps run, and only those (anything else
 * exits 252, as the real CLI does on a usage error, so a step cannot quietly depend on more):
 *   ssm get-parameter --name N --query Parameter.Value --output text
 *   ssm put-parameter --name N --value V --type String --overwrite
 *   ssm get-parameters-by-path --path P --recursive --query 'Parameters[].[Name,Value]' --output json
 *   sts assume-role --role-arn A --role-session-name S --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text
 * Parameters live in the stand-in state (./state.cjs); nothing is sent to AWS.
 */
const { load, save, say, journal } = require('./state.cjs');

const COMMANDS = {
  'ssm get-parameter': {
    flags: { '--name': true, '--query': 'Parameter.Value', '--output': 'text' },
    run(state, flags) {
      const value = state.ssm[flags['--name']];
      if (value === undefined) {
        process.stderr.write(
          `\nAn error occurred (ParameterNotFound) when calling the GetParameter operation: \n`,
        );
        return 254;
      }
      say(
        'aws',
        `ssm get-parameter ${flags['--name']} → ${value} (local state, nothing sent to AWS)`,
      );
      process.stdout.write(`${value}\n`);
      return 0;
    },
  },
  'ssm put-parameter': {
    flags: { '--name': true, '--value': true, '--type': 'String', '--overwrite': null },
    run(state, flags) {
      state.ssm[flags['--name']] = flags['--value'];
      save(state);
      say(
        'aws',
        `ssm put-parameter ${flags['--name']} = ${flags['--value']} (local state, nothing sent to AWS)`,
      );
      process.stdout.write(`${JSON.stringify({ Version: 2, Tier: 'Standard' })}\n`);
      return 0;
    },
  },
  'ssm get-parameters-by-path': {
    flags: {
      '--path': true,
      '--recursive': null,
      '--query': 'Parameters[].[Name,Value]',
      '--output': 'json',
    },
    run(state, flags) {
      const prefix = flags['--path'];
      const pairs = Object.entries(state.ssm)
        .filter(([name]) => name.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))
        .sort(([a], [b]) => a.localeCompare(b));
      say(
        'aws',
        `ssm get-parameters-by-path ${prefix} → ${pairs.length} parameter(s) (local state, nothing sent to AWS)`,
      );
      process.stdout.write(`${JSON.stringify(pairs, null, 4)}\n`);
      return 0;
    },
  },
  'sts assume-role': {
    flags: {
      '--role-arn': true,
      '--role-session-name': true,
      '--query': 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]',
      '--output': 'text',
    },
    run(_state, flags) {
      say(
        'aws',
        `sts assume-role ${flags['--role-arn']} → stand-in credentials (nothing sent to AWS)`,
      );
      process.stdout.write('ASIASTANDIN0000000000\tstand-in-secret\tstand-in-session-token\n');
      return 0;
    },
  },
};

function main(args) {
  const state = load();
  journal(state, 'aws', args);
  const name = args.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (!command) return usage(`the stand-in does not implement 'aws ${name}'`);
  const flags = {};
  for (let i = 2; i < args.length; i++) {
    const flag = args[i];
    if (!(flag in command.flags)) return usage(`'aws ${name}' stand-in: unexpected ${flag}`);
    if (command.flags[flag] === null) {
      flags[flag] = true;
      continue;
    }
    const value = args[++i];
    if (value === undefined) return usage(`'aws ${name}': ${flag} needs a value`);
    if (typeof command.flags[flag] === 'string' && value !== command.flags[flag]) {
      return usage(
        `'aws ${name}' stand-in supports ${flag} ${command.flags[flag]} only, got ${value}`,
      );
    }
    flags[flag] = value;
  }
  const missing = Object.keys(command.flags).filter((flag) => !(flag in flags));
  if (missing.length > 0)
    return usage(`'aws ${name}' stand-in expects ${missing.join(', ')} as the steps pass them`);
  return command.run(state, flags);
}

function usage(message) {
  say('aws', message);
  return 252;
}

process.exitCode = main(process.argv.slice(2));
