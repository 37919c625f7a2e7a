import type { components } from '@sm/contract-location';

/** A recorded location as the contract shows it (`#/components/schemas/Location`). */
export type Location = components['schemas']['Location'];

/** What the owner reports (`#/components/schemas/PutLocationRequest`). */
export type LocationFix = components['schemas']['PutLocationRequest'];

/** A page of history (`#/components/schemas/LocationHistoryPage`). */
export type LocationHistoryPage = components['schemas']['LocationHistoryPage'];
