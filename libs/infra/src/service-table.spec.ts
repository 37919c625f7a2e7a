import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { TableDefinition } from '@sm/dynamo';
import { testApp } from './__fixtures__/notes-stack';
import { ServiceTable } from './service-table';

function synth(definition: TableDefinition) {
  const stack = new Stack(testApp(), 'Tables');
  const table = new ServiceTable(stack, definition.id, { definition });
  return { table, template: Template.fromStack(stack) };
}

describe('ServiceTable', () => {
  const { template } = synth({
    id: 'History',
    partitionKey: { name: 'userId', type: 'S' },
    sortKey: { name: 'at', type: 'N' },
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [{ indexName: 'byDay', partitionKey: { name: 'day', type: 'S' } }],
  });

  it('is on demand, recoverable to a point in time, protected from deletion and encrypted', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: { Ref: 'TableDeletionProtection' },
      SSESpecification: { SSEEnabled: true },
      TableName: Match.absent(),
    });
  });

  it('is retained when the stack is deleted or the table replaced, and removed when the stack’s first create fails', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  });

  it('takes its deletion protection from one stack parameter, on unless the deploy script creates the stack', () => {
    expect(template.toJSON().Parameters['TableDeletionProtection']).toEqual(expect.objectContaining({ Type: 'String', AllowedValues: ['true', 'false'], Default: 'true' }));
    const stack = new Stack(testApp(), 'Two');
    new ServiceTable(stack, 'A', { definition: { id: 'A', partitionKey: { name: 'id', type: 'S' } } });
    new ServiceTable(stack, 'B', { definition: { id: 'B', partitionKey: { name: 'id', type: 'S' } } });
    const two = Template.fromStack(stack);
    expect(Object.keys(two.toJSON().Parameters).filter((p) => p === 'TableDeletionProtection')).toHaveLength(1);
    two.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: { Ref: 'TableDeletionProtection' } });
  });

  it('has the keys, TTL attribute and indexes of its definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'N' },
        { AttributeName: 'day', AttributeType: 'S' },
      ]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byDay', KeySchema: [{ AttributeName: 'day', KeyType: 'HASH' }] })],
    });
  });

  it('has no TTL when the definition has none', () => {
    synth({ id: 'Users', partitionKey: { name: 'username', type: 'S' } }).template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: Match.absent(),
    });
  });

  it('rejects a key type DynamoDB keys cannot have, naming it', () => {
    const definition = { id: 'Odd', partitionKey: { name: 'blob', type: 'B' } } as unknown as TableDefinition;
    expect(() => synth(definition)).toThrow(/key attribute 'blob' has type 'B'; use 'S' or 'N'/);
  });
});
