import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@sm/dynamo';
import type { TokenRecord, TokenStore } from '../domain/ports';

/** Token hashes in DynamoDB, keyed by `tokenHash`; `expiresAt` doubles as the TTL attribute. */
export class DynamoTokenStore implements TokenStore {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  public async insert(token: TokenRecord): Promise<void> {
    // A 256-bit collision will not happen; the condition makes sure it could never overwrite.
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...token }, ConditionExpression: 'attribute_not_exists(tokenHash)' }),
    );
  }

  public async find(tokenHash: string): Promise<TokenRecord | undefined> {
    // Consistent: a revocation (a delete) must be seen by the very next authorizer evaluation.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { tokenHash }, ConsistentRead: true }),
    );
    return Item as TokenRecord | undefined;
  }

  public async deleteLive(tokenHash: string, userId: string, nowSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { tokenHash },
          // A comparison on a missing attribute is false, so this also refuses an absent item.
          ConditionExpression: 'userId = :userId AND expiresAt > :now',
          ExpressionAttributeValues: { ':userId': userId, ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
