import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@sm/dynamo';
import type { UserRecord, UserStore } from '../domain/ports';

/**
 * Users in DynamoDB, one item per username (the partition key). The conditional put is the whole
 * uniqueness guarantee: DynamoDB serialises writes per key, so concurrent registrations of one
 * username cannot both pass `attribute_not_exists`.
 */
export class DynamoUserStore implements UserStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async insert(user: UserRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...user, password: { ...user.password } },
          ConditionExpression: 'attribute_not_exists(username)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  public async findByUsername(username: string): Promise<UserRecord | undefined> {
    // Consistent, so a user can sign in the moment registration answered 201.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { username }, ConsistentRead: true }),
    );
    return Item as UserRecord | undefined;
  }
}
