import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { apiGatewayModels, openApiDocument, operationExamples, operationManifest } from '@sm/contract-profile';
import { BearerTokenAuthorizer, ContractRestApi, InfraConfigError, SafeDeployment, ServiceFunction, ServiceMonitoring, ServiceTable, ssmParameterNames, type ServiceLimits, type StageName } from '@sm/infra';
import { SSM_PARAMETERS_BUNDLE_FILE } from '../clients/location-url';
import { profileLimits } from '../limits';
import { profilesTable } from '../tables';

type ProfileFunction = keyof typeof profileLimits.functions;

/** Properties of the {@link ProfileStack}. */
export interface ProfileStackProps extends StackProps {
  /** The deployment stage: in the API stage, every name and every SSM parameter. */
  readonly stage: StageName;
  /**
   * The service's limits.
   * @default profileLimits (apps/profile/src/limits.ts)
   */
  readonly limits?: ServiceLimits<ProfileFunction>;
  /**
   * How long `GET /profile/{userId}` waits for the location service (`LOCATION_LOOKUP_TIMEOUT_MS`);
   * must stay below get-profile's assumed p99, which the capacity plan is built on.
   * @default 1000
   */
  readonly locationLookupTimeoutMs?: number;
  /**
   * How long get-profile keeps the location API's URL it read from SSM before reading it again
   * (`LOCATION_API_URL_MAX_AGE_SECONDS`); a failed lookup reads it again at once.
   * @default 60
   */
  readonly locationUrlMaxAgeSeconds?: number;
  /**
   * Where the function bundles are.
   * @default - `dist/apps/profile` (built by `npx nx run profile:build`)
   */
  readonly bundleDir?: string;
}

/**
 * The profile service: the profiles table, a function per operation, its REST API from the profile
 * contract guarded by the auth service's authorizer (read from SSM), and monitoring. get-profile
 * reads the location API's URL from SSM at run time (cached), not at deployment: when location
 * deploys alone and its URL changes, profile follows without being deployed again.
 */
export class ProfileStack extends Stack {
  readonly api: ContractRestApi;

  constructor(scope: Construct, id: string, props: ProfileStackProps) {
    super(scope, id, { description: 'Profile service: public profiles with the current location (serverless-microservices)', ...props });
    const limits = props.limits ?? profileLimits;
    const lookupTimeoutMs = props.locationLookupTimeoutMs ?? 1000;
    const getProfileP99 = limits.functions['get-profile'].assumedP99Ms;
    if (!(Number.isSafeInteger(lookupTimeoutMs) && lookupTimeoutMs > 0 && lookupTimeoutMs < getProfileP99)) {
      throw new InfraConfigError(
        `${id}: locationLookupTimeoutMs must be a whole number of ms below get-profile's assumed p99 (${getProfileP99} ms), got ${lookupTimeoutMs}; raise assumedP99Ms in apps/profile/src/limits.ts with it`,
      );
    }

    const profiles = new ServiceTable(this, 'Profiles', { definition: profilesTable });
    const locationApiUrl = ssm.StringParameter.fromStringParameterName(this, 'LocationApiUrl', ssmParameterNames(props.stage).locationApiUrl);
    const fn = (id: string, entry: ProfileFunction, description: string, environment: Record<string, string>, extraFiles?: string[]) =>
      new ServiceFunction(this, id, { service: 'profile', entry, description, limits: limits.functions[entry], environment, bundleDir: props.bundleDir, extraFiles });
    const getProfile = fn('GetProfile', 'get-profile', 'GET /profile/{userId}: a profile with its current location', {
      PROFILES_TABLE_NAME: profiles.tableName,
      LOCATION_API_URL_PARAMETER: locationApiUrl.parameterName,
      LOCATION_API_URL_MAX_AGE_SECONDS: String(props.locationUrlMaxAgeSeconds ?? 60),
      LOCATION_LOOKUP_TIMEOUT_MS: String(lookupTimeoutMs),
    }, [SSM_PARAMETERS_BUNDLE_FILE]); // Powertools Parameters, loaded on the first lookup
    // Read, never written; only this one parameter.
    locationApiUrl.grantRead(getProfile);
    const putProfile = fn('PutProfile', 'put-profile', 'PUT /profile/{userId}: creates or replaces the owner’s profile', {
      PROFILES_TABLE_NAME: profiles.tableName,
    });
    profiles.grantReadData(getProfile);
    // One conditional UpdateItem (returning the new item); no read needed.
    profiles.grantWriteData(putProfile);

    const authorizer = new BearerTokenAuthorizer(this, 'BearerToken', { stage: props.stage });
    this.api = new ContractRestApi(this, 'Api', {
      contract: { title: openApiDocument.info.title, operationManifest, apiGatewayModels, operationExamples },
      integrations: { getProfile, putProfile },
      authorizer: authorizer.authorizer,
      throttle: limits.stage,
      stageName: props.stage,
      restApiName: `sm-${props.stage}-profile`,
    });
    this.api.publishUrl('profile');

    const functions = [getProfile, putProfile];
    const monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: 'profile',
      stage: props.stage,
      api: this.api,
      functions,
      tables: [profiles],
      headroom: limits.headroom,
    });
    new SafeDeployment(this, 'Deployment', { service: 'profile', stage: props.stage, functions, monitoring, api: this.api });
  }
}
