import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { startSsmStandIn } from './ssm-stand-in';
import type { SsmStandIn } from './types';

const parameters = [
  {
    id: 'Prod-SmLocation/ApiUrlParameter',
    name: '/sm/prod/location/api-url',
    value: 'http://127.0.0.1:3000',
    type: 'String' as const,
  },
  {
    id: 'Prod-SmAuth/ApiUrlParameter',
    name: '/sm/prod/auth/api-url',
    value: 'http://127.0.0.1:3000',
    type: 'String' as const,
  },
  {
    id: 'Prod-SmAuth/AuthorizerFunctionArn',
    name: '/sm/prod/auth/authorizer-function-arn',
    value: 'arn:aws:lambda:us-east-1:123456789012:function:sm-prod-auth-authorize',
    type: 'String' as const,
  },
  {
    id: 'Prod-SmPlatform/AlertTopicArn',
    name: '/sm/prod/platform/alert-topic-arn',
    value: 'arn:aws:sns:us-east-1:123456789012:sm-prod-alerts',
    type: 'String' as const,
  },
];

describe('the SSM stand-in, through the real SDK client', () => {
  let ssm: SsmStandIn;
  let client: SSMClient;
  beforeAll(async () => {
    ssm = await startSsmStandIn();
    ssm.setParameters(parameters);
    client = new SSMClient({
      endpoint: ssm.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIALOCAL', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await ssm.close();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(ssm.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers GetParameter by name, by ARN and with the version selector, as SSM does', async () => {
    for (const name of [
      '/sm/prod/location/api-url',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/sm/prod/location/api-url',
      '/sm/prod/location/api-url:1',
    ]) {
      const { Parameter } = await client.send(new GetParameterCommand({ Name: name }));
      expect(Parameter).toMatchObject({
        Name: '/sm/prod/location/api-url',
        Type: 'String',
        Value: 'http://127.0.0.1:3000',
        Version: 1,
        ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/sm/prod/location/api-url',
      });
      expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    }
  });

  it('answers ParameterNotFound and ParameterVersionNotFound as the SDK’s own errors', async () => {
    await expect(
      client.send(new GetParameterCommand({ Name: '/sm/prod/nope' })),
    ).rejects.toMatchObject({
      name: 'ParameterNotFound',
      message: 'Parameter /sm/prod/nope not found.',
    });
    await expect(
      client.send(new GetParameterCommand({ Name: '/sm/prod/auth/api-url:2' })),
    ).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
  });

  it('answers GetParameters with the invalid names apart', async () => {
    const answer = await client.send(
      new GetParametersCommand({ Names: ['/sm/prod/auth/api-url', '/sm/prod/missing'] }),
    );
    expect(answer.Parameters?.map((p) => p.Name)).toEqual(['/sm/prod/auth/api-url']);
    expect(answer.InvalidParameters).toEqual(['/sm/prod/missing']);
  });

  it('answers GetParametersByPath one level or recursively, in pages', async () => {
    const oneLevel = await client.send(new GetParametersByPathCommand({ Path: '/sm/prod/auth' }));
    expect(oneLevel.Parameters?.map((p) => p.Name)).toEqual([
      '/sm/prod/auth/api-url',
      '/sm/prod/auth/authorizer-function-arn',
    ]);
    expect(await client.send(new GetParametersByPathCommand({ Path: '/sm/prod' }))).toMatchObject({
      Parameters: [],
    });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new GetParametersByPathCommand({
          Path: '/sm',
          Recursive: true,
          MaxResults: 3,
          NextToken: token,
        }),
      );
      names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(2);
    expect(names.sort()).toEqual(parameters.map((p) => p.name).sort());
  });

  it('refuses writes: its values come from the cloud assembly', async () => {
    await expect(
      client.send(new PutParameterCommand({ Name: '/sm/prod/x', Value: 'y', Type: 'String' })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('PutParameter is not served locally'),
    });
  });

  it('refuses an assembly that defines one name twice', () => {
    expect(() =>
      ssm.setParameters([...parameters, { ...parameters[0]!, id: 'Prod-SmOther/Dup' }]),
    ).toThrow(
      'SSM parameter /sm/prod/location/api-url is defined twice: by Prod-SmLocation/ApiUrlParameter and by Prod-SmOther/Dup',
    );
  });

  it('serves Powertools Parameters as a function reads it, with AWS_ENDPOINT_URL_SSM', async () => {
    const saved = process.env['AWS_ENDPOINT_URL_SSM'];
    process.env['AWS_ENDPOINT_URL_SSM'] = ssm.endpoint;
    Object.assign(process.env, {
      AWS_REGION: process.env['AWS_REGION'] ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env['AWS_ACCESS_KEY_ID'] ?? 'AKIALOCAL',
      AWS_SECRET_ACCESS_KEY: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'local',
    });
    try {
      const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
      expect(await getParameter('/sm/prod/platform/alert-topic-arn')).toBe(
        'arn:aws:sns:us-east-1:123456789012:sm-prod-alerts',
      );
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_SSM'];
      else process.env['AWS_ENDPOINT_URL_SSM'] = saved;
    }
  });
});
