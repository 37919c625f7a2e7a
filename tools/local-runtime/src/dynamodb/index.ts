export { startLocalDynamo } from './local-dynamo';
export { ensureTables, TableSchemaMismatchError, type EnsureTablesResult } from './ensure-tables';
export { DataDirLockedError, LOCK_FILE_NAME } from './data-dir-lock';
export type { LocalDynamo, LocalDynamoOptions, TableSpec } from './types';
