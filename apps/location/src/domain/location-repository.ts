import type { HistoryId } from './history-id';
import type { Location, LocationHistoryPage } from './model';

/** One accepted location report: it becomes a history item and, unless a newer one won, current. */
export interface LocationRecord {
  readonly location: Location;
  /** Orders this record among the user's others; unique. */
  readonly historyId: HistoryId;
  /** Epoch seconds after which the history item is no longer visible (and TTL may delete it). */
  readonly expiresAt: number;
}

/** Query for one page of a user's history, newest first. */
export interface HistoryQuery {
  readonly limit: number;
  /** Opaque `nextCursor` of a previous page; the repository rejects one it did not issue for this user. */
  readonly cursor?: string;
  /** Items whose `expiresAt` is not after this instant are treated as gone. */
  readonly nowMs: number;
}

/** The storage port the domain needs; `repository/` implements it on DynamoDB. */
export interface LocationRepository {
  /**
   * Appends the record to history, then makes it current unless a record with a later
   * `historyId` already is. Never leaves a current location that history lacks.
   */
  record(record: LocationRecord): Promise<void>;
  findCurrent(userId: string): Promise<Location | undefined>;
  /** @throws InvalidCursorError when `cursor` is malformed, tampered or not for this user's history. */
  listHistory(userId: string, query: HistoryQuery): Promise<LocationHistoryPage>;
}
