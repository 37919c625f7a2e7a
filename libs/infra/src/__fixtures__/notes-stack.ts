import { join } from 'node:path';
import { App, Stack, type AppProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { BearerTokenAuthorizer } from '../bearer-token-authorizer';
import type { RestApiContract } from '../contract';
import { ContractRestApi } from '../contract-rest-api';
import { defineServiceLimits, type ServiceLimits } from '../limits';
import { ssmParameterNames } from '../parameters';
import { ServiceFunction } from '../service-function';
import { SafeDeployment } from '../safe-deployment';
import { ServiceMonitoring } from '../service-monitoring';
import { ServiceTable } from '../service-table';
import type { DeploymentPreference, StageName } from '../stages';
import { notesContract, type NotesOperationId } from './notes-contract';

/**
 * An app for tests: CDK's built-in template schema validation is off (it takes most of a synth
 * and is not what these tests check; cfn-lint covers it for the real stacks).
 */
export function testApp(props: AppProps = {}): App {
  return new App({ builtinCloudFormationValidation: false, ...props });
}

/** The fixture bundles (`<entry>.js` + map), standing in for `dist/apps/<svc>`. */
export const NOTES_BUNDLES = join(__dirname, 'bundles', 'notes');

export const notesLimits = defineServiceLimits({
  service: 'notes',
  stage: { rateLimit: 10, burstLimit: 10 },
  headroom: 0.8,
  functions: {
    'create-note': { reservedConcurrency: 15, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
    'get-note': { reservedConcurrency: 15, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 100, deadlineMs: 800, overheadMs: 100 },
    'put-note': { reservedConcurrency: 15, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
    'list-note-versions': { reservedConcurrency: 15, memoryMb: 512, timeoutSeconds: 5, assumedP99Ms: 200, deadlineMs: 800, overheadMs: 100 },
    authorize: { reservedConcurrency: 80, memoryMb: 256, timeoutSeconds: 3, assumedP99Ms: 100, deadlineMs: 800, overheadMs: 100 },
  },
});

export interface NotesStackOptions {
  /** @default notesLimits */
  readonly limits?: ServiceLimits<keyof typeof notesLimits.functions>;
  /** Publish its own authorizer (like auth) or import it from SSM (like profile/location). @default 'own' */
  readonly authorizer?: 'own' | 'imported';
  /** The deployment stage, in every name and parameter. @default 'staging' (not the default stage, so a hard-coded 'prod' shows) */
  readonly stage?: StageName;
  /** How deployments shift traffic. @default the stage's preference in STAGES */
  readonly deployment?: DeploymentPreference;
  /** @default notesContract */
  readonly contract?: RestApiContract<NotesOperationId>;
  /** Where the smoke hook bundle is. @default NOTES_BUNDLES (a stand-in) */
  readonly hookBundleDir?: string;
}

/**
 * A service stack wired like the real ones, from the constructs under test: functions from the
 * fixture bundles, a table, the contract's API with the bearer authorizer, monitoring.
 */
export class NotesStack extends Stack {
  readonly api: ContractRestApi<NotesOperationId>;
  readonly functions: Record<string, ServiceFunction>;
  readonly table: ServiceTable;
  readonly monitoring: ServiceMonitoring;
  readonly deployment: SafeDeployment;
  readonly authorize: ServiceFunction | undefined;

  constructor(app: App, id: string, options: NotesStackOptions = {}) {
    super(app, id);
    const limits = options.limits ?? notesLimits;
    const stage = options.stage ?? 'staging';
    this.table = new ServiceTable(this, 'Notes', { definition: { id: 'Notes', partitionKey: { name: 'noteId', type: 'S' }, timeToLiveAttribute: 'expiresAt' } });
    const fn = (entry: keyof typeof notesLimits.functions) =>
      new ServiceFunction(this, entry, {
        service: 'notes',
        entry,
        limits: limits.functions[entry],
        bundleDir: NOTES_BUNDLES,
        environment: { NOTES_TABLE_NAME: this.table.tableName },
      });
    const getNote = fn('get-note');
    const listNoteVersions = fn('list-note-versions');
    const putNote = fn('put-note');
    const createNote = fn('create-note');
    this.functions = { 'get-note': getNote, 'list-note-versions': listNoteVersions, 'put-note': putNote, 'create-note': createNote };
    this.table.grantReadData(getNote);
    this.table.grantReadData(listNoteVersions);
    this.table.grantReadWriteData(putNote);
    this.table.grantWriteData(createNote);

    let authorizer: BearerTokenAuthorizer;
    const functions = [getNote, listNoteVersions, putNote, createNote];
    if ((options.authorizer ?? 'own') === 'own') {
      const authorize = fn('authorize');
      functions.push(authorize);
      this.table.grantReadData(authorize);
      this.authorize = authorize;
      authorizer = new BearerTokenAuthorizer(this, 'BearerToken', { stage, handler: authorize.alias });
      new ssm.StringParameter(this, 'AuthorizerArn', { parameterName: ssmParameterNames(stage).authorizerFunctionArn, stringValue: authorize.alias.functionArn });
    } else {
      authorizer = new BearerTokenAuthorizer(this, 'BearerToken', { stage });
    }

    this.api = new ContractRestApi(this, 'Api', {
      contract: options.contract ?? notesContract,
      integrations: { createNote, getNote, putNote, listNoteVersions },
      authorizer: authorizer.authorizer,
      throttle: limits.stage,
      stageName: stage,
      restApiName: `sm-${stage}-${id}`,
    });
    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      service: 'notes',
      stage,
      api: this.api,
      functions,
      tables: [this.table],
      headroom: limits.headroom,
    });
    this.deployment = new SafeDeployment(this, 'Deployment', {
      service: 'notes',
      stage,
      functions,
      monitoring: this.monitoring,
      api: this.api,
      authorizer: this.authorize,
      preference: options.deployment,
      hookBundleDir: options.hookBundleDir ?? NOTES_BUNDLES,
    });
  }
}
