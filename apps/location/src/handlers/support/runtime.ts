import { createDocumentClient } from '@sm/dynamo';
import { createObservability } from '@sm/observability';
import { loadConfig } from '../../config';
import { createLocationService } from '../../domain';
import { DynamoLocationRepository } from '../../repository/dynamo-location-repository';

/**
 * Everything a location function builds once per cold start: configuration (failing fast),
 * Powertools, the DynamoDB client and the use cases. Each handler module imports it, so its
 * bundle builds this at module scope and reuses it across invocations.
 */
const config = loadConfig();

export const observability = createObservability();

export const locationService = createLocationService({
  repository: new DynamoLocationRepository(
    createDocumentClient({ tracer: observability }),
    config.locationsTableName,
  ),
  historyRetentionDays: config.historyRetentionDays,
});
