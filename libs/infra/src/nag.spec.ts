import { CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NotesStack, testApp } from './__fixtures__/notes-stack';
import { addNagChecks, nagAcknowledgements, nagFindings } from './nag';

describe('cdk-nag on the shared constructs', () => {
  const app = testApp();
  new NotesStack(app, 'Owner');
  new NotesStack(app, 'Consumer', { authorizer: 'imported' });
  app.synth();

  it('leaves no AwsSolutions or Serverless finding unacknowledged, warnings included', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it('gives every acknowledgement a reason that names its compensating control', () => {
    const acknowledgements = nagAcknowledgements(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(60);
  });

  it('acknowledges on the narrowest construct: the CloudFormation resource itself', () => {
    const byPath = new Map(app.node.findAll().map((construct) => [construct.node.path, construct]));
    for (const { constructPath, rule } of nagAcknowledgements(app)) {
      expect({ rule, constructPath, isResource: CfnResource.isCfnResource(byPath.get(constructPath)) }).toEqual({ rule, constructPath, isResource: true });
    }
  });

  it('still reports what nobody acknowledged', () => {
    const other = testApp();
    new sqs.Queue(new Stack(other, 'Plain'), 'Queue');
    other.synth();
    expect(nagFindings(other).map((f) => f.rule)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });

  it('makes synthesis fail on an unacknowledged error once registered on the app', () => {
    const other = testApp();
    addNagChecks(other);
    new sqs.Queue(new Stack(other, 'Plain'), 'Queue');
    expect(() => other.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
