import {
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { createCursorCodec, isConditionalCheckFailed } from '@sm/dynamo';
import {
  HISTORY_ID_PATTERN,
  InvalidCursorError,
  type HistoryQuery,
  type Location,
  type LocationHistoryPage,
  type LocationRecord,
  type LocationRepository,
} from '../domain';

/** Sort key of the one item per user that holds the current location. */
export const CURRENT_SK = 'CURRENT';
/** Sort-key prefix of history items; everything else in the partition is not history. */
export const HISTORY_PREFIX = 'H#';

/** Options of {@link DynamoLocationRepository}. */
export interface DynamoLocationRepositoryOptions {
  /**
   * Most Query calls one history page may take when expired items (filtered out in code, since
   * TTL deletes late or never) thin the results. A page that hits it comes back short, with a
   * cursor to continue. @default 5
   */
  readonly maxQueriesPerPage?: number;
  /** Items read by each follow-up Query of a page that lost items to expiry. @default 100 */
  readonly followUpBatchSize?: number;
}

type Item = Record<string, unknown>;
type HistoryKey = { readonly userId: string; readonly sk: string };

// The key of `locationsTable` (tables.ts): the integration tests build the table from there.
const cursors = createCursorCodec({ attributes: { userId: 'S', sk: 'S' } });

/**
 * The location port on the one-table design of `tables.ts` (`userId` + `sk` = `CURRENT` or
 * `H#<history id>`). Reads are strongly consistent: an acknowledged PUT is visible to the next
 * GET, which the load tests check, at one read unit per small item.
 */
export class DynamoLocationRepository implements LocationRepository {
  private readonly maxQueriesPerPage: number;
  private readonly followUpBatchSize: number;

  public constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoLocationRepositoryOptions = {},
  ) {
    this.maxQueriesPerPage = options.maxQueriesPerPage ?? 5;
    this.followUpBatchSize = options.followUpBatchSize ?? 100;
  }

  /**
   * Two writes without a transaction (the embedded store has none), ordered so that a failure
   * between them leaves nothing a reader can see as wrong:
   * 1. the history item, first and only once (`attribute_not_exists`): if this fails nothing
   *    changed and the client's retry starts over;
   * 2. the current item, only if it would not replace a newer one (its `historySk` is smaller).
   *    If this step fails, history holds a report that never became current — true, since it
   *    was reported — and the current location is still a real, older report. The invariant
   *    readers rely on: the current location is always also in history, and never goes back in
   *    time, even when two reports race or arrive out of order.
   */
  public async record({ location, historyId, expiresAt }: LocationRecord): Promise<void> {
    const historySk = `${HISTORY_PREFIX}${historyId}`;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...location, sk: historySk, expiresAt },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          // No expiresAt: TTL must never remove the current location.
          Item: { ...location, sk: CURRENT_SK, historySk },
          ConditionExpression: 'attribute_not_exists(historySk) OR historySk < :historySk',
          ExpressionAttributeValues: { ':historySk': historySk },
        }),
      );
    } catch (error) {
      // A newer report is already current; this one rightly stays in history only.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  public async findCurrent(userId: string): Promise<Location | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { userId, sk: CURRENT_SK },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toLocation(Item);
  }

  /**
   * Newest first via `begins_with(sk, 'H#')` backwards. Expired items are filtered in code
   * (`expiresAt > now`); because DynamoDB applies `Limit` before the filter, a page reads one
   * item more than it returns to learn whether another page exists, and keeps reading (bounded)
   * when the filter thinned it. `nextCursor` is the key of the last item returned, or where the
   * bounded read stopped: always a key inside this user's history.
   */
  public async listHistory(userId: string, query: HistoryQuery): Promise<LocationHistoryPage> {
    let startKey: HistoryKey | undefined =
      query.cursor === undefined ? undefined : decodeHistoryCursor(userId, query.cursor);
    const items: Location[] = [];
    let lastReturned: HistoryKey | undefined;

    for (let round = 0; round < this.maxQueriesPerPage; round += 1) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userId = :userId AND begins_with(sk, :history)',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: {
            ':userId': userId,
            ':history': HISTORY_PREFIX,
            ':now': Math.floor(query.nowMs / 1000),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: round === 0 ? query.limit + 1 : Math.max(query.limit + 1, this.followUpBatchSize),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        // One retained item beyond the page: there is a next page, starting after the last one kept.
        if (items.length === query.limit) return { items, nextCursor: encode(lastReturned) };
        items.push(toLocation(item));
        lastReturned = keyOf(item);
      }
      if (page.LastEvaluatedKey === undefined) return { items, nextCursor: null };
      startKey = keyOf(page.LastEvaluatedKey);
    }
    // Read budget spent on expired items: return what was found and continue from there next time.
    return { items, nextCursor: encode(startKey) };
  }
}

/**
 * Accepts only a cursor this repository could have issued for `userId`'s history: structurally
 * valid (codec), the same user, and a history sort key. Anything else is a 400 on `/query/cursor`
 * before DynamoDB sees it, so a foreign cursor can never select another partition.
 */
const decodeHistoryCursor = (userId: string, cursor: string): HistoryKey => {
  let key: HistoryKey;
  try {
    key = cursors.decode(cursor);
  } catch (error) {
    throw new InvalidCursorError(error);
  }
  const inHistory =
    key.sk.startsWith(HISTORY_PREFIX) &&
    HISTORY_ID_PATTERN.test(key.sk.slice(HISTORY_PREFIX.length));
  if (key.userId !== userId || !inHistory) throw new InvalidCursorError();
  return key;
};

const encode = (key: HistoryKey | undefined): string => {
  if (key === undefined) throw new Error('history page has no key to continue from');
  return cursors.encode(key);
};

const keyOf = (item: Item): HistoryKey => ({ userId: String(item.userId), sk: String(item.sk) });

/** Picks the contract's fields only: storage attributes (`sk`, `expiresAt`, …) never leak out. */
const toLocation = (item: Item): Location => ({
  userId: String(item.userId),
  latitude: Number(item.latitude),
  longitude: Number(item.longitude),
  ...(typeof item.accuracy === 'number' ? { accuracy: item.accuracy } : {}),
  updatedAt: String(item.updatedAt),
});
