import { LocationNotFoundError } from './errors';
import { createHistoryIdFactory, type HistoryIdFactory } from './history-id';
import type { LocationRepository } from './location-repository';
import type { Location, LocationFix, LocationHistoryPage } from './model';
import { assertOwner } from './ownership';
import { expiresAtFor } from './retention';
import { atRecordedResolution, coarsened } from './resolution';

export interface LocationServiceOptions {
  readonly repository: LocationRepository;
  /** How long history items stay readable, in days. */
  readonly historyRetentionDays: number;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** @default createHistoryIdFactory() */
  readonly nextHistoryId?: HistoryIdFactory;
}

export interface HistoryPageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** The location use cases; callers are identified by the authorizer's principal id. */
export interface LocationService {
  /** Owner only. Records the fix as the user's current location and in their history. */
  putLocation(callerId: string, userId: string, fix: LocationFix): Promise<Location>;
  /**
   * Any caller: the owner gets the location as recorded, anyone else a coarse one ({@link coarsened}).
   * @throws LocationNotFoundError when the user never reported a location.
   */
  getLocation(callerId: string, userId: string): Promise<Location>;
  /** Owner only. Newest first, expired items left out. */
  listHistory(
    callerId: string,
    userId: string,
    page: HistoryPageRequest,
  ): Promise<LocationHistoryPage>;
}

export const createLocationService = (options: LocationServiceOptions): LocationService => {
  const { repository, historyRetentionDays } = options;
  const now = options.now ?? (() => Date.now());
  const nextHistoryId = options.nextHistoryId ?? createHistoryIdFactory();

  return {
    async putLocation(callerId, userId, fix) {
      assertOwner(callerId, userId, 'write');
      const nowMs = now();
      const location: Location = {
        userId,
        ...atRecordedResolution(fix),
        updatedAt: new Date(nowMs).toISOString(),
      };
      await repository.record({
        location,
        historyId: nextHistoryId(nowMs),
        expiresAt: expiresAtFor(nowMs, historyRetentionDays),
      });
      return location;
    },

    async getLocation(callerId, userId) {
      const current = await repository.findCurrent(userId);
      if (current === undefined) throw new LocationNotFoundError();
      return callerId === userId ? current : coarsened(current);
    },

    async listHistory(callerId, userId, page) {
      assertOwner(callerId, userId, 'read-history');
      return repository.listHistory(userId, {
        limit: page.limit,
        ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
        nowMs: now(),
      });
    },
  };
};
