import { startAwsStandIn, STAND_IN_ACCESS_KEY_ID, type AwsStandIn } from './aws-stand-in';
import { apiUrlParameterName } from '@sm/infra';
import { resolveDeployedStage, type StageStack } from './deployed-stage';
import { StageTargetError } from './errors';

/**
 * The real AWS SDK clients against a local stand-in for CloudFormation and SSM on 127.0.0.1, found
 * the way a user's would be: through AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL_SSM and
 * credentials from the environment. Nothing here reaches AWS.
 */
const url = (service: string) =>
  `https://${service.padEnd(10, 'x')}.execute-api.eu-west-1.amazonaws.com/staging`;
const stacks: StageStack[] = [
  { service: 'auth', stackName: 'Staging-SmAuth' },
  { service: 'location', stackName: 'Staging-SmLocation' },
  { service: 'profile', stackName: 'Staging-SmProfile' },
];

let standIn: AwsStandIn | undefined;
const savedEnv = { ...process.env };

/** Points the SDK's default chain at the stand-in, with no other source of credentials or endpoints. */
async function withStandIn(
  state: Parameters<typeof startAwsStandIn>[0],
  env: Record<string, string | undefined> = {},
): Promise<AwsStandIn> {
  standIn = await startAwsStandIn(state);
  Object.assign(process.env, standIn.isolatedEnv);
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  delete process.env['AWS_PROFILE'];
  return standIn;
}

afterEach(async () => {
  process.env = { ...savedEnv };
  await standIn?.close();
  standIn = undefined;
});

describe('resolveDeployedStage', () => {
  it("reads each service stack's ApiUrl output, signed with the caller's credentials", async () => {
    const aws = await withStandIn({
      stacks: {
        'Staging-SmAuth': {
          ApiUrl: `${url('auth')}/`,
          ApiEndpoint1234: 'https://ignored.example.com/',
        },
        'Staging-SmLocation': { ApiUrl: url('location') },
        'Staging-SmProfile': { ApiUrl: url('profile') },
      },
    });
    const resolved = await resolveDeployedStage({ stage: 'staging', stacks });
    expect(Object.fromEntries(resolved.apis)).toEqual({
      auth: url('auth'),
      location: url('location'),
      profile: url('profile'),
    });
    expect(resolved.sources.get('auth')).toBe('CloudFormation output ApiUrl of Staging-SmAuth');
    expect(
      aws.calls.map((call) => [call.action, call.input['StackName'], call.accessKeyId]).sort(),
    ).toEqual([
      ['cloudformation:DescribeStacks', 'Staging-SmAuth', STAND_IN_ACCESS_KEY_ID],
      ['cloudformation:DescribeStacks', 'Staging-SmLocation', STAND_IN_ACCESS_KEY_ID],
      ['cloudformation:DescribeStacks', 'Staging-SmProfile', STAND_IN_ACCESS_KEY_ID],
    ]);
  });

  it("falls back to the service's SSM parameter where a stack cannot be read or has no ApiUrl", async () => {
    const aws = await withStandIn({
      stacks: { 'Staging-SmAuth': { ApiUrl: url('auth') }, 'Staging-SmLocation': { Other: 'x' } },
      parameters: {
        '/sm/staging/location/api-url': url('location'),
        '/sm/staging/profile/api-url': url('profile'),
      },
    });
    const resolved = await resolveDeployedStage({ stage: 'staging', stacks });
    expect(Object.fromEntries(resolved.apis)).toEqual({
      auth: url('auth'),
      location: url('location'),
      profile: url('profile'),
    });
    expect(resolved.sources.get('profile')).toBe('SSM parameter /sm/staging/profile/api-url');
    const ssm = aws.calls.filter((call) => call.action === 'ssm:GetParameters');
    expect(ssm).toHaveLength(1);
    expect((ssm[0]!.input['Names'] as string[]).sort()).toEqual([
      '/sm/staging/location/api-url',
      '/sm/staging/profile/api-url',
    ]);
  });

  it('signs for the region of each stack, or --region over all of them', async () => {
    const aws = await withStandIn({ stacks: { 'Staging-SmAuth': { ApiUrl: url('auth') } } });
    await resolveDeployedStage({
      stage: 'staging',
      stacks: [{ ...stacks[0]!, region: 'eu-central-1' }],
    });
    await resolveDeployedStage({
      stage: 'staging',
      stacks: [{ ...stacks[0]!, region: 'eu-central-1' }],
      region: 'ap-southeast-2',
    });
    expect(aws.calls.map((call) => call.region)).toEqual(['eu-central-1', 'ap-southeast-2']);
  });

  it('says per service what was tried and why it failed, and what to do', async () => {
    await withStandIn({
      stacks: { 'Staging-SmAuth': { ApiUrl: url('auth') }, 'Staging-SmProfile': { Other: 'x' } },
    });
    const failure = resolveDeployedStage({ stage: 'staging', stacks });
    await expect(failure).rejects.toThrow(StageTargetError);
    await expect(failure).rejects.toThrow(
      [
        'Cannot find the base URL of every API of stage staging:',
        '  location:',
        '    CloudFormation output ApiUrl of Staging-SmLocation: ValidationError: Stack with id Staging-SmLocation does not exist',
        `    SSM parameter ${apiUrlParameterName('staging', 'location')}: not found`,
        '  profile:',
        '    CloudFormation output ApiUrl of Staging-SmProfile: the stack has no such output',
        `    SSM parameter ${apiUrlParameterName('staging', 'profile')}: not found`,
        'Deploy the stage first, check the AWS credentials and region (--region), or pass the URLs with --api <service>=<url>.',
      ].join('\n'),
    );
  });

  it('refuses a published URL that is not a base URL instead of guessing', async () => {
    await withStandIn({ stacks: { 'Staging-SmAuth': { ApiUrl: 'not a url' } } });
    await expect(resolveDeployedStage({ stage: 'staging', stacks: [stacks[0]!] })).rejects.toThrow(
      "CloudFormation output ApiUrl of Staging-SmAuth: not an absolute URL: 'not a url'",
    );
  });

  it('says so when the caller has no AWS credentials', async () => {
    await withStandIn({}, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    await expect(resolveDeployedStage({ stage: 'staging', stacks: [stacks[0]!] })).rejects.toThrow(
      /ApiUrl of Staging-SmAuth: no AWS credentials \(/,
    );
  });
});
