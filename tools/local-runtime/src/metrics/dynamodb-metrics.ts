import { performance } from 'node:perf_hooks';
import {
  errorType,
  replyJson,
  type DynamoCall,
  type DynamoProxyLayer,
  type DynamoReply,
} from '../dynamodb/proxy-types';
import type { TableSpec } from '../dynamodb/types';
import { itemSize } from './item-size';
import type { MetricStore } from './metric-store';
import { DYNAMODB } from './namespaces';

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const THROTTLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);
const WRITE_UNIT_BYTES = 1024;

/**
 * DynamoDB's metrics, as AWS defines them ("DynamoDB Metrics and dimensions"), recorded by a layer
 * of the DynamoDB proxy from each call and its answer:
 *
 * - `SuccessfulRequestLatency` (ms, per `TableName`+`Operation`), `ReturnedItemCount` for Query/Scan;
 * - `ThrottledRequests` (`TableName`+`Operation`) for throttling errors, with `ReadThrottleEvents`
 *   / `WriteThrottleEvents` (`TableName`); `SystemErrors` (`TableName`+`Operation`) for HTTP 500s;
 *   `ConditionalCheckFailedRequests` (`TableName`); `UserErrors` for other HTTP 400s (no
 *   dimension: AWS reports it per account and region);
 * - `ConsumedReadCapacityUnits` / `ConsumedWriteCapacityUnits` (`TableName`, and
 *   `GlobalSecondaryIndexName` for index writes) as DynamoDB bills them: the store is asked for
 *   `ReturnConsumedCapacity` (item size rounded up to 4 KB per read unit, half for eventually
 *   consistent reads, a Query's items summed before rounding; 1 KB per write unit, the larger of
 *   the old and new item), the answer the function gets is left as it asked. A failed conditional
 *   write costs 1 write unit (DynamoDB charges the existing item's size, at least 1: exact for items
 *   up to 1 KB). Writes to a table with secondary indexes add each index's writes: 1 per index the
 *   item enters, leaves or changes in, 2 when its index key changes, sized by the item.
 */
export function dynamoMetricsLayer(
  store: MetricStore,
  tables: readonly TableSpec[],
): DynamoProxyLayer {
  const indexed = new Map<string, IndexSpec[]>();
  for (const table of tables) {
    const indexes: IndexSpec[] = [
      ...(table.globalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName ?? '',
        global: true,
        keys: (index.KeySchema ?? []).map((k) => k.AttributeName ?? ''),
      })),
      ...(table.localSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName ?? '',
        global: false,
        keys: (index.KeySchema ?? []).map((k) => k.AttributeName ?? ''),
      })),
    ];
    if (indexes.length > 0) indexed.set(table.tableName, indexes);
  }

  const count = (name: string, dims: Record<string, string>, value = 1, unit = 'Count') =>
    store.series(DYNAMODB, name, dims, unit).record(value);

  return {
    name: 'metrics',
    async handle(
      call: DynamoCall,
      next: (call: DynamoCall) => Promise<DynamoReply>,
    ): Promise<DynamoReply> {
      const operation = call.operation;
      const request = call.request;
      const asked = request['ReturnConsumedCapacity'];
      const measures = READS.has(operation) || WRITES.has(operation);
      if (measures && asked !== 'INDEXES') {
        request['ReturnConsumedCapacity'] = 'INDEXES';
        call.changed = true;
      }
      // Index writes need the item before and after the write: asked for only when the function did not.
      const tableName = typeof request['TableName'] === 'string' ? request['TableName'] : undefined;
      const indexes = tableName ? indexed.get(tableName) : undefined;
      let injectedReturnValues = false;
      if (
        indexes &&
        (operation === 'PutItem' || operation === 'DeleteItem' || operation === 'UpdateItem')
      ) {
        const returnValues = request['ReturnValues'];
        if (returnValues === undefined || returnValues === 'NONE') {
          request['ReturnValues'] = operation === 'UpdateItem' ? 'ALL_NEW' : 'ALL_OLD';
          call.changed = true;
          injectedReturnValues = true;
        }
      }

      const started = performance.now();
      const reply = await next(call);
      const latencyMs = performance.now() - started;
      if (reply.kind !== 'response') return reply;
      const body = replyJson(reply);
      const tablesOf = tableNames(operation, request);

      if (reply.status === 200) {
        for (const table of tablesOf) {
          count(
            'SuccessfulRequestLatency',
            { Operation: operation, TableName: table },
            latencyMs,
            'Milliseconds',
          );
          if (
            (operation === 'Query' || operation === 'Scan') &&
            typeof body?.['Count'] === 'number'
          ) {
            count('ReturnedItemCount', { Operation: operation, TableName: table }, body['Count']);
          }
        }
        for (const consumed of capacities(body?.['ConsumedCapacity'])) {
          const metric = READS.has(operation)
            ? 'ConsumedReadCapacityUnits'
            : 'ConsumedWriteCapacityUnits';
          count(metric, { TableName: consumed.table }, consumed.units);
          for (const [index, units] of consumed.indexes)
            count(metric, { GlobalSecondaryIndexName: index, TableName: consumed.table }, units);
        }
        if (indexes && tableName) {
          const attributes = body?.['Attributes'] as Record<string, unknown> | undefined;
          const before = operation === 'UpdateItem' ? undefined : attributes;
          const after =
            operation === 'PutItem'
              ? (request['Item'] as Record<string, unknown>)
              : operation === 'UpdateItem'
                ? attributes
                : undefined;
          for (const index of indexes) {
            const units = indexWriteUnits(index, before, after);
            if (units === 0) continue;
            count(
              'ConsumedWriteCapacityUnits',
              index.global
                ? { GlobalSecondaryIndexName: index.name, TableName: tableName }
                : { TableName: tableName },
              units,
            );
          }
        }
      } else {
        const type = errorType(body);
        for (const table of tablesOf) {
          if (reply.status >= 500) {
            count('SystemErrors', { Operation: operation, TableName: table });
          } else if (type && THROTTLE_ERRORS.has(type)) {
            count('ThrottledRequests', { Operation: operation, TableName: table });
            count(READS.has(operation) ? 'ReadThrottleEvents' : 'WriteThrottleEvents', {
              TableName: table,
            });
          } else if (type === 'ConditionalCheckFailedException') {
            count('ConditionalCheckFailedRequests', { TableName: table });
            count('ConsumedWriteCapacityUnits', { TableName: table }, 1);
          }
        }
        if (
          reply.status < 500 &&
          type !== 'ConditionalCheckFailedException' &&
          !(type && THROTTLE_ERRORS.has(type))
        )
          count('UserErrors', {});
      }

      if (!body || (!measures && !injectedReturnValues)) return reply;
      // The function gets the answer to what it asked.
      let changed = false;
      if (measures && asked !== 'INDEXES' && body['ConsumedCapacity'] !== undefined) {
        if (asked === 'TOTAL') body['ConsumedCapacity'] = totalOnly(body['ConsumedCapacity']);
        else delete body['ConsumedCapacity'];
        changed = true;
      }
      if (injectedReturnValues && body['Attributes'] !== undefined) {
        delete body['Attributes'];
        changed = true;
      }
      return changed ? { ...reply, body: Buffer.from(JSON.stringify(body)) } : reply;
    },
  };
}

interface IndexSpec {
  name: string;
  global: boolean;
  keys: string[];
}

/** DynamoDB's writes to one index for an item going from `before` to `after` (undefined: absent). */
export function indexWriteUnits(
  index: IndexSpec,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): number {
  const inIndex = (item: Record<string, unknown> | undefined) =>
    item !== undefined && index.keys.every((key) => item[key] !== undefined);
  const units = (item: Record<string, unknown> | undefined) =>
    Math.max(1, Math.ceil(itemSize(item) / WRITE_UNIT_BYTES));
  const was = inIndex(before);
  const is = inIndex(after);
  if (!was && !is) return 0;
  if (!was) return units(after);
  if (!is) return units(before);
  const keyChanged = index.keys.some(
    (key) => JSON.stringify(before![key]) !== JSON.stringify(after![key]),
  );
  return keyChanged ? units(before) + units(after) : Math.max(units(before), units(after));
}

function tableNames(operation: string, request: Record<string, unknown>): string[] {
  if (typeof request['TableName'] === 'string') return [request['TableName']];
  if (
    (operation === 'BatchGetItem' || operation === 'BatchWriteItem') &&
    request['RequestItems'] &&
    typeof request['RequestItems'] === 'object'
  ) {
    return Object.keys(request['RequestItems']);
  }
  return [];
}

interface Consumed {
  table: string;
  /** Units of the table itself. */
  units: number;
  indexes: Map<string, number>;
}

/** The table and global-index units of a ConsumedCapacity (an object, or a list for batches). */
function capacities(value: unknown): Consumed[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: Consumed[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    if (typeof entry?.['TableName'] !== 'string') continue;
    const table = entry['Table'] as { CapacityUnits?: number } | undefined;
    const indexes = new Map<string, number>();
    for (const [name, index] of Object.entries(
      (entry['GlobalSecondaryIndexes'] ?? {}) as Record<string, { CapacityUnits?: number }>,
    )) {
      if (typeof index.CapacityUnits === 'number') indexes.set(name, index.CapacityUnits);
    }
    const total = typeof entry['CapacityUnits'] === 'number' ? entry['CapacityUnits'] : 0;
    const indexTotal = [...indexes.values()].reduce((sum, n) => sum + n, 0);
    out.push({
      table: entry['TableName'],
      units: table?.CapacityUnits ?? total - indexTotal,
      indexes,
    });
  }
  return out;
}

function totalOnly(value: unknown): unknown {
  const strip = (entry: Record<string, unknown>) => ({
    TableName: entry['TableName'],
    CapacityUnits: entry['CapacityUnits'],
  });
  return Array.isArray(value)
    ? value.map((entry) => strip(entry as Record<string, unknown>))
    : strip(value as Record<string, unknown>);
}
