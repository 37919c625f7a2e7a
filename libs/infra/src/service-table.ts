import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { TableDefinition } from '@sm/dynamo';
import { InfraConfigError } from './errors';

/** Properties of a {@link ServiceTable}. */
export interface ServiceTableProps {
  /** The table as the service describes it once, in `apps/<svc>/src/tables.ts`. */
  readonly definition: TableDefinition;
}

type KeyAttribute = { readonly name: string; readonly type: 'S' | 'N' };

const attributeType = (key: KeyAttribute, where: string): dynamodb.AttributeType => {
  switch (key.type) {
    case 'S':
      return dynamodb.AttributeType.STRING;
    case 'N':
      return dynamodb.AttributeType.NUMBER;
    default:
      throw new InfraConfigError(`${where}: key attribute '${key.name}' has type '${String(key.type)}'; use 'S' or 'N'`);
  }
};

/**
 * Template parameter (one per stack) that switches the tables' deletion protection. `true` by
 * default; the deploy script (apps/platform/src/deploy/deploy-stack.ts) passes `false` only while
 * it creates the stack, then deploys again with `true`. Deletion protection makes DynamoDB refuse
 * DeleteTable, CloudFormation's included: with it on at creation, a failed first create could not
 * delete its new, empty tables (RetainExceptOnCreate asks it to) and would end in ROLLBACK_FAILED.
 */
export const TABLE_DELETION_PROTECTION_PARAMETER = 'TableDeletionProtection';

/**
 * A service's DynamoDB table built from its {@link TableDefinition}: on-demand capacity,
 * point-in-time recovery, deletion protection (see {@link TABLE_DELETION_PROTECTION_PARAMETER}),
 * retained when the stack is deleted or the table replaced but removed when the stack's first
 * create fails (`RetainExceptOnCreate`: no debris), encrypted with the AWS-managed key, and TTL on
 * the definition's `timeToLiveAttribute` (cleanup only: the services enforce expiry in code). The
 * physical name is generated; functions get it through their environment.
 *
 * Construct id of the table: `Table`.
 */
export class ServiceTable extends Construct {
  readonly table: dynamodb.Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id);
    const { definition } = props;
    const where = `${this.node.path} (table '${definition.id}')`;
    this.definition = definition;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey.name, type: attributeType(definition.partitionKey, where) },
      sortKey: definition.sortKey && { name: definition.sortKey.name, type: attributeType(definition.sortKey, where) },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    (this.table.node.defaultChild as dynamodb.CfnTable).addPropertyOverride('DeletionProtectionEnabled', deletionProtectionParameter(this).valueAsString);
    for (const index of definition.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey, `${where} index ${index.indexName}`) },
        sortKey: index.sortKey && { name: index.sortKey.name, type: attributeType(index.sortKey, `${where} index ${index.indexName}`) },
      });
    }
  }

  /** The table's name (a token until deployment). */
  get tableName(): string {
    return this.table.tableName;
  }

  /** GetItem, Query, Scan, BatchGetItem … on this table and its indexes. */
  grantReadData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadData(grantee);
  }

  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem on this table (no reads). */
  grantWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantWriteData(grantee);
  }

  /** Read and write data (no table management). */
  grantReadWriteData(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadWriteData(grantee);
  }
}

/** The stack's {@link TABLE_DELETION_PROTECTION_PARAMETER}, created by its first table. */
function deletionProtectionParameter(scope: Construct): CfnParameter {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(TABLE_DELETION_PROTECTION_PARAMETER);
  if (existing instanceof CfnParameter) return existing;
  return new CfnParameter(stack, TABLE_DELETION_PROTECTION_PARAMETER, {
    type: 'String',
    allowedValues: ['true', 'false'],
    default: 'true',
    description: 'Deletion protection of this stack\'s DynamoDB tables: false only while the deploy script creates the stack (so a failed first create can remove them), true otherwise',
  });
}
