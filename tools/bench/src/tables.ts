import { join } from 'node:path';
import type { TableDefinition } from '@sm/dynamo';

const isTableDefinition = (value: unknown): value is TableDefinition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as TableDefinition).id === 'string' &&
  typeof (value as TableDefinition).partitionKey === 'object';

/**
 * Every table definition `apps/<service>/src/tables.ts` exports, alone or in arrays. Loaded by
 * path at run time, so the benchmark picks up any service without importing it statically.
 */
export const loadTables = async (root: string, service: string): Promise<TableDefinition[]> => {
  const exported = Object.values((await import(join(root, 'apps', service, 'src', 'tables.ts'))) as Record<string, unknown>);
  const found = exported.flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value])).filter(isTableDefinition);
  return [...new Map(found.map((table) => [table.id, table])).values()];
};

/** The team's naming rule: table `Users` → `USERS_TABLE_NAME`, `LocationHistory` → `LOCATION_HISTORY_TABLE_NAME`. */
export const tableEnvName = (id: string): string => `${id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_TABLE_NAME`;
