import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { apiGatewayModels, openApiDocument, operationExamples, operationManifest } from '@sm/contract-location';
import { BearerTokenAuthorizer, ContractRestApi, SafeDeployment, ServiceFunction, ServiceMonitoring, ServiceTable, type ServiceLimits, type StageName } from '@sm/infra';
import { locationLimits } from '../limits';
import { locationsTable } from '../tables';

type LocationFunction = keyof typeof locationLimits.functions;

/** Properties of the {@link LocationStack}. */
export interface LocationStackProps extends StackProps {
  /** The deployment stage: in the API stage, every name and every SSM parameter. */
  readonly stage: StageName;
  /**
   * The service's limits.
   * @default locationLimits (apps/location/src/limits.ts)
   */
  readonly limits?: ServiceLimits<LocationFunction>;
  /**
   * Days a history item stays readable (`HISTORY_RETENTION_DAYS`).
   * @default 30
   */
  readonly historyRetentionDays?: number;
  /**
   * Where the function bundles are.
   * @default - `dist/apps/location` (built by `npx nx run location:build`)
   */
  readonly bundleDir?: string;
}

/**
 * The location service: the locations table (current and history), a function per operation, its
 * REST API from the location contract guarded by the auth service's authorizer (read from SSM),
 * and monitoring. It publishes its API URL (SSM `/sm/<stage>/location/api-url`, output `ApiUrl`), which
 * the profile service calls.
 */
export class LocationStack extends Stack {
  readonly api: ContractRestApi;

  constructor(scope: Construct, id: string, props: LocationStackProps) {
    super(scope, id, { description: 'Location service: current locations and their history (serverless-microservices)', ...props });
    const limits = props.limits ?? locationLimits;

    const locations = new ServiceTable(this, 'Locations', { definition: locationsTable });
    const environment = {
      LOCATIONS_TABLE_NAME: locations.tableName,
      HISTORY_RETENTION_DAYS: String(props.historyRetentionDays ?? 30),
    };
    const fn = (id: string, entry: LocationFunction, description: string) =>
      new ServiceFunction(this, id, { service: 'location', entry, description, limits: limits.functions[entry], environment, bundleDir: props.bundleDir });
    const putLocation = fn('PutLocation', 'put-location', 'PUT /loc/{userId}: records the owner’s location');
    const getLocation = fn('GetLocation', 'get-location', 'GET /loc/{userId}: a user’s current location');
    const listHistory = fn('ListLocationHistory', 'list-location-history', 'GET /loc/{userId}/history: the owner’s history, newest first');
    // Two conditional puts; a get; a query.
    locations.grantWriteData(putLocation);
    locations.grantReadData(getLocation);
    locations.grantReadData(listHistory);

    const authorizer = new BearerTokenAuthorizer(this, 'BearerToken', { stage: props.stage });
    this.api = new ContractRestApi(this, 'Api', {
      contract: { title: openApiDocument.info.title, operationManifest, apiGatewayModels, operationExamples },
      integrations: { putLocation, getLocation, listLocationHistory: listHistory },
      authorizer: authorizer.authorizer,
      throttle: limits.stage,
      stageName: props.stage,
      restApiName: `sm-${props.stage}-location`,
    });
    this.api.publishUrl('location');

    const functions = [putLocation, getLocation, listHistory];
    const monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: 'location',
      stage: props.stage,
      api: this.api,
      functions,
      tables: [locations],
      headroom: limits.headroom,
    });
    new SafeDeployment(this, 'Deployment', { service: 'location', stage: props.stage, functions, monitoring, api: this.api });
  }
}
