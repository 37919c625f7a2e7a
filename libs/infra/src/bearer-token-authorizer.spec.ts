import { Match, Template } from 'aws-cdk-lib/assertions';
import { NotesStack, testApp } from './__fixtures__/notes-stack';

describe('BearerTokenAuthorizer', () => {
  describe('imported from the auth service', () => {
    const template = Template.fromStack(new NotesStack(testApp(), 'Consumer', { authorizer: 'imported' }));
    const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const [arnParameter] = Object.entries(parameters).find(([, p]) => p.Default === '/sm/staging/auth/authorizer-function-arn') ?? [];

    it('reads the authorizer function ARN from SSM at deployment, not from an export', () => {
      expect(arnParameter).toBeDefined();
      expect(parameters[arnParameter!]!.Type).toBe('AWS::SSM::Parameter::Value<String>');
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    });

    it('invokes that function as the TOKEN authorizer', () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'TOKEN',
        AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([{ Ref: arnParameter }])] },
        AuthorizerResultTtlInSeconds: 30,
      });
    });

    it('lets API Gateway invoke it, from this API’s authorizers only', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: arnParameter },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':execute-api:'), '/authorizers/'])] }),
      });
    });
  });

  describe('with the service’s own function', () => {
    const template = Template.fromStack(new NotesStack(testApp(), 'Auth'));

    it('uses the function’s live alias directly, without an SSM lookup', () => {
      expect(Object.values(template.toJSON().Parameters ?? {}).map((p: any) => p.Default)).not.toContain('/sm/staging/auth/authorizer-function-arn');
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { Ref: Match.stringLikeRegexp('^authorizeLiveAlias') },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/authorizers/'])] }),
      });
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^authorizeLiveAlias') }])] },
      });
    });

    it('publishes the alias ARN, which names the alias and so never changes with a new version', () => {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/sm/staging/auth/authorizer-function-arn', Value: { Ref: Match.stringLikeRegexp('^authorizeLiveAlias') } });
      template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionName: { Ref: Match.stringLikeRegexp('^authorizeFunction') } });
    });
  });
});
