import { createDocumentClient } from '@sm/dynamo';
import { createObservability } from '@sm/observability';
import { loadStoreConfig } from '../../config';
import { DynamoProfileRepository } from '../../repository/dynamo-profile-repository';

/**
 * What both profile functions build once per cold start: configuration (failing fast), Powertools
 * and the repository over one DynamoDB client.
 */
const config = loadStoreConfig();

export const observability = createObservability();

export const profileRepository = new DynamoProfileRepository(
  createDocumentClient({ tracer: observability }),
  config.profilesTableName,
);
