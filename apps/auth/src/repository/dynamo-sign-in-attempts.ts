import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '@sm/dynamo';
import type { SignInAttempt, SignInAttempts } from '../domain/ports';
import type { SignInLimits } from '../sign-in-limits';

/** One username's item. Every attribute but the key is a number (epoch seconds or a count). */
interface AttemptsItem {
  readonly username: string;
  /** Attempts counted in the current window (each counted before its password check). */
  readonly failures: number;
  readonly windowStart: number;
  /** 0 when not locked. */
  readonly lockedUntil: number;
  /** Locks so far: the next one lasts `firstLockSeconds * 2^lockCount`. */
  readonly lockCount: number;
  /** TTL attribute; also checked in code, since TTL deletion is late. */
  readonly expiresAt: number;
}

/** The length of the lock after `locks` earlier ones. */
export const lockSeconds = (limits: SignInLimits, locks: number): number =>
  Math.min(limits.firstLockSeconds * 2 ** locks, limits.maxLockSeconds);

/** Tries of the slow path before refusing (fail closed) under heavy contention. */
const MAX_ROUNDS = 4;

/**
 * Sign-in attempts in DynamoDB, one item per username, with TTL.
 *
 * Atomic by construction: an attempt is counted by one conditional `UpdateItem` (`failures + 1`
 * only while `failures < maxFailures`, the window current and the username not locked) *before*
 * its password is checked, so of any number of concurrent guesses DynamoDB lets exactly the allowed
 * number through. Only when that condition fails does the store read the item to say why (locked:
 * `Retry-After` is the rest of the lock) or start a new window (a conditional write on the window
 * it saw, so concurrent restarts make one window).
 */
export class DynamoSignInAttempts implements SignInAttempts {
  public constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limits: SignInLimits,
  ) {
    if (limits.memorySeconds < Math.max(limits.windowSeconds, limits.maxLockSeconds)) {
      throw new Error('signInLimits: memorySeconds must be at least windowSeconds and maxLockSeconds');
    }
  }

  public async begin(username: string, now: number): Promise<SignInAttempt> {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const counted = await this.count(username, now);
      if (counted !== undefined) return { allowed: true, failures: counted.failures, locks: counted.lockCount };

      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { username }, ConsistentRead: true }));
      const item = Item as AttemptsItem | undefined;
      if (item === undefined) continue; // forgotten meanwhile (a success): count again
      if (item.expiresAt <= now) {
        if (await this.restart(item, now, 0)) return { allowed: true, failures: 1, locks: 0 };
        continue;
      }
      if (item.lockedUntil > now) return { allowed: false, retryAfterSeconds: item.lockedUntil - now };
      if (item.windowStart <= now - this.limits.windowSeconds) {
        if (await this.restart(item, now, item.lockCount)) return { allowed: true, failures: 1, locks: item.lockCount };
        continue;
      }
      // Every attempt of the window is taken and some are still being checked: their outcome
      // decides; if they all fail, the lock that follows is this long.
      if (item.failures >= this.limits.maxFailures) return { allowed: false, retryAfterSeconds: lockSeconds(this.limits, item.lockCount) };
    }
    return { allowed: false, retryAfterSeconds: 1 };
  }

  public async failed(username: string, attempt: SignInAttempt & { allowed: true }, now: number): Promise<void> {
    // Below the limit the attempt is already counted; the window's last one locks the username.
    if (attempt.failures < this.limits.maxFailures) return;
    const lockedUntil = now + lockSeconds(this.limits, attempt.locks);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { username },
          UpdateExpression: 'SET lockedUntil = :until, lockCount = :locks, failures = :zero, windowStart = :now, expiresAt = :expires',
          // Not after a success forgot the username meanwhile (it would re-create the item).
          ConditionExpression: 'attribute_exists(username)',
          ExpressionAttributeValues: {
            ':until': lockedUntil,
            ':locks': attempt.locks + 1,
            ':zero': 0,
            ':now': now,
            ':expires': lockedUntil + this.limits.memorySeconds,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  public async succeeded(username: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { username } }));
  }

  /** Counts one attempt if the window allows it; `undefined` when the condition refuses. */
  private async count(username: string, now: number): Promise<AttemptsItem | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { username },
          UpdateExpression:
            'SET failures = if_not_exists(failures, :zero) + :one, windowStart = if_not_exists(windowStart, :now), ' +
            'lockedUntil = if_not_exists(lockedUntil, :zero), lockCount = if_not_exists(lockCount, :zero), expiresAt = :expires',
          ConditionExpression:
            'attribute_not_exists(username) OR (failures < :max AND windowStart > :windowFloor AND lockedUntil <= :now AND expiresAt > :now)',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':now': now,
            ':max': this.limits.maxFailures,
            ':windowFloor': now - this.limits.windowSeconds,
            ':expires': now + this.limits.memorySeconds,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as AttemptsItem;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Starts a new window counting this attempt, if the item is still the one read (else another
   * attempt restarted it first); `locks` carries over, except after the memory expired.
   */
  private async restart(seen: AttemptsItem, now: number, locks: number): Promise<boolean> {
    const item: AttemptsItem = { username: seen.username, failures: 1, windowStart: now, lockedUntil: 0, lockCount: locks, expiresAt: now + this.limits.memorySeconds };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'windowStart = :seenStart AND failures = :seenFailures AND lockedUntil = :seenLock',
          ExpressionAttributeValues: { ':seenStart': seen.windowStart, ':seenFailures': seen.failures, ':seenLock': seen.lockedUntil },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
