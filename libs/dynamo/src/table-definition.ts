/** DynamoDB key attribute types this project uses. */
export type KeyAttributeType = 'S' | 'N';

/** A key attribute: its name and type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** A global secondary index (projection: all attributes). */
export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/**
 * A table described once, as plain data, in `apps/<svc>/src/tables.ts`: the CDK stack builds the
 * table from it (`@sm/infra` ServiceTable) and tests create the same table in dynalite
 * (`@sm/testing` createTables). The physical name is not part of it: the stack generates one and
 * passes it to functions through their environment.
 */
export interface TableDefinition {
  /** Logical id, unique within the service, e.g. `Users`. */
  readonly id: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Epoch-seconds attribute DynamoDB TTL deletes by; cleanup only, expiry is enforced in code. */
  readonly timeToLiveAttribute?: string;
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexDefinition[];
}
