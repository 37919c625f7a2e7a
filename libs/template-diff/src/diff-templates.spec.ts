import { diffTemplates, replacedResources, type CfnTemplate } from './diff-templates';

/** A small stack shaped like a service's: a table, a function with its role and policy, an output. */
function serviceTemplate(): {
  Parameters: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }
  >;
  Outputs: Record<string, unknown>;
} {
  return {
    Parameters: { AlertTopicArn: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/sm/x' } },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
        DeletionPolicy: 'Retain',
        Metadata: { 'aws:cdk:path': 'SmLocation/Locations/Table/Resource' },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'lambda.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
        },
      },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'p',
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'dynamodb:GetItem',
                Resource: { 'Fn::GetAtt': ['Table', 'Arn'] },
              },
            ],
          },
        },
      },
      Function: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Runtime: 'nodejs22.x',
          Handler: 'get-location.handler',
          MemorySize: 512,
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Code: { S3Bucket: 'assets', S3Key: 'aaaa.zip' },
        },
      },
    },
    Outputs: { ApiUrl: { Value: 'https://example' } },
  };
}

type Template = ReturnType<typeof serviceTemplate>;

/** The properties of resource `id`; throws when the fixture lacks it (a broken test). */
function props(template: Template, id: string): Record<string, unknown> {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`fixture has no resource ${id}`);
  return resource.Properties;
}

describe('diffTemplates', () => {
  it('finds nothing between a template and itself', () => {
    const changes = diffTemplates(serviceTemplate(), serviceTemplate());

    expect(changes).toMatchObject({ isEmpty: true, resources: [], parameters: [], outputs: [] });
    expect(changes.iam).toEqual({ statements: [], managedPolicies: [], broadened: false });
  });

  it('tells an in-place update from a replacement, and marks a replaced table as holding data', () => {
    const head = serviceTemplate();
    props(head, 'Function')['MemorySize'] = 1024;
    props(head, 'Table')['KeySchema'] = [{ AttributeName: 'id', KeyType: 'HASH' }];

    const { resources } = diffTemplates(serviceTemplate(), head);

    expect(resources).toEqual([
      {
        logicalId: 'Function',
        type: 'AWS::Lambda::Function',
        action: 'update',
        properties: [{ name: 'MemorySize', impact: 'update' }],
        stateful: false,
      },
      {
        logicalId: 'Table',
        type: 'AWS::DynamoDB::Table',
        path: 'SmLocation/Locations/Table/Resource',
        action: 'replace',
        properties: [{ name: 'KeySchema', impact: 'replace' }],
        stateful: true,
      },
    ]);
  });

  it('reports added and removed resources; a retained one is orphaned, not deleted', () => {
    const head = serviceTemplate();
    delete head.Resources.Table;
    delete head.Resources.Function;
    head.Resources['Topic'] = { Type: 'AWS::SNS::Topic', Properties: {} };

    const actions = diffTemplates(serviceTemplate(), head).resources.map((r) => [
      r.logicalId,
      r.action,
    ]);

    expect(actions).toEqual(
      expect.arrayContaining([
        ['Table', 'orphan'],
        ['Function', 'remove'],
        ['Topic', 'add'],
      ]),
    );
  });

  it('calls out an IAM statement added, as broadening permissions', () => {
    const head = serviceTemplate();
    const document = props(head, 'Policy')['PolicyDocument'] as {
      Statement: unknown[];
    };
    document.Statement.push({ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*' });

    const { iam } = diffTemplates(serviceTemplate(), head);

    expect(iam.broadened).toBe(true);
    expect(iam.statements).toEqual([
      expect.objectContaining({
        change: 'added',
        effect: 'Allow',
        actions: 'dynamodb:Scan',
        resources: '*',
      }),
    ]);
  });

  it('calls out a statement removed without claiming broadened permissions', () => {
    const head = serviceTemplate();
    (props(head, 'Policy')['PolicyDocument'] as { Statement: unknown[] }).Statement = [];

    const { iam } = diffTemplates(serviceTemplate(), head);

    expect(iam.broadened).toBe(false);
    expect(iam.statements).toEqual([
      expect.objectContaining({ change: 'removed', actions: 'dynamodb:GetItem' }),
    ]);
  });

  it('calls out a managed policy attached to a role', () => {
    const head = serviceTemplate();
    props(head, 'Role')['ManagedPolicyArns'] = ['arn:aws:iam::aws:policy/AdministratorAccess'];

    const { iam } = diffTemplates(serviceTemplate(), head);

    expect(iam.managedPolicies).toEqual([
      expect.objectContaining({
        change: 'added',
        managedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    ]);
    expect(iam.broadened).toBe(true);
  });

  it('tabulates a security group ingress rule added, without colour codes even where colour is on', () => {
    const head = serviceTemplate();
    head.Resources['Group'] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'open',
        SecurityGroupIngress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 },
        ],
      },
    };
    // cdk diff colours its table cells when chalk sees a colour terminal (or CI): force that.
    const saved = process.env['FORCE_COLOR'];
    process.env['FORCE_COLOR'] = '1';
    let securityGroups: readonly (readonly string[])[] = [];
    try {
      jest.isolateModules(() => {
        const fresh = jest.requireActual<typeof import('./diff-templates')>('./diff-templates');
        securityGroups = fresh.diffTemplates(serviceTemplate(), head).securityGroups;
      });
    } finally {
      if (saved === undefined) delete process.env['FORCE_COLOR'];
      else process.env['FORCE_COLOR'] = saved;
    }

    expect(securityGroups.length).toBe(2);
    expect(securityGroups[1]?.join(' ')).toBe('+ ${Group.GroupId} In TCP 22 Everyone (IPv4)');
  });

  it('names the parameters and outputs that changed', () => {
    const head = serviceTemplate();
    head.Outputs['ApiUrl'] = { Value: 'https://other' };
    head.Parameters['LocationApiUrl'] = {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: '/sm/y',
    };

    const changes = diffTemplates(serviceTemplate(), head);

    expect(changes.outputs).toEqual(['ApiUrl']);
    expect(changes.parameters).toEqual(['LocationApiUrl']);
  });
});

describe('replacedResources', () => {
  it('lists exactly what loses its identity or data: replaced, removed and orphaned resources', () => {
    const base: CfnTemplate = serviceTemplate();
    const head = serviceTemplate();
    props(head, 'Function')['MemorySize'] = 256; // an update: not listed
    props(head, 'Function')['FunctionName'] = 'renamed'; // replaces the function
    delete head.Resources.Table; // retained: orphaned

    expect(replacedResources(base, head).map((r) => [r.logicalId, r.action])).toEqual([
      ['Function', 'replace'],
      ['Table', 'orphan'],
    ]);
  });
});
