import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@sm/dynamo';
import type { ProfileFields, ProfileRepository, StoredProfile, WritePrecondition } from '../domain';

const UPDATE_NAMES = {
  '#displayName': 'displayName',
  '#bio': 'bio',
  '#updatedAt': 'updatedAt',
  '#version': 'version',
} as const;

/** `ADD` starts a missing number at 0, so the first write stores version 1. */
const UPDATE =
  'SET #displayName = :displayName, #bio = :bio, #updatedAt = :updatedAt ADD #version :one';

/**
 * The conditions that make a write optimistic. The check and the update are one UpdateItem, so
 * DynamoDB (and dynalite) decide a race between writers of the same version atomically.
 */
const conditionOf = (
  precondition: WritePrecondition,
): { expression?: string; names: Record<string, string>; values: Record<string, number> } => {
  switch (precondition.kind) {
    case 'none':
      return { names: {}, values: {} };
    case 'exists':
      return {
        expression: 'attribute_exists(#userId)',
        names: { '#userId': 'userId' },
        values: {},
      };
    case 'version': {
      const values = Object.fromEntries(precondition.versions.map((v, i) => [`:v${i}`, v]));
      return { expression: `#version IN (${Object.keys(values).join(', ')})`, names: {}, values };
    }
  }
};

/** Profiles in the table of `tables.ts` (partition key `userId`, one item per user). */
export class DynamoProfileRepository implements ProfileRepository {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async get(userId: string): Promise<StoredProfile | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { userId }, ConsistentRead: true }),
    );
    return Item === undefined ? null : toStoredProfile(Item);
  }

  public async save(
    fields: ProfileFields,
    precondition: WritePrecondition,
  ): Promise<StoredProfile | null> {
    if (precondition.kind === 'version' && precondition.versions.length === 0) return null;
    const condition = conditionOf(precondition);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { userId: fields.userId },
          UpdateExpression: UPDATE,
          ConditionExpression: condition.expression,
          // Only names the expressions use: DynamoDB refuses unused ones.
          ExpressionAttributeNames: { ...UPDATE_NAMES, ...condition.names },
          ExpressionAttributeValues: {
            ':displayName': fields.displayName,
            ':bio': fields.bio,
            ':updatedAt': fields.updatedAt,
            ':one': 1,
            ...condition.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (Attributes === undefined) throw new Error('UpdateItem with ALL_NEW returned no item');
      return toStoredProfile(Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return null;
      throw error;
    }
  }
}

/** Our own table, but an item that lost a field must fail loudly (500), not leak as a bad profile. */
const toStoredProfile = (item: Record<string, unknown>): StoredProfile => {
  const { userId, displayName, bio, updatedAt, version } = item;
  if (
    typeof userId !== 'string' ||
    typeof displayName !== 'string' ||
    typeof bio !== 'string' ||
    typeof updatedAt !== 'string' ||
    typeof version !== 'number' ||
    !Number.isSafeInteger(version)
  ) {
    throw new Error(`Profile item of ${String(userId)} is not a stored profile`);
  }
  return { userId, displayName, bio, updatedAt, version };
};
