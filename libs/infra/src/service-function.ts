import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Duration, IgnoreMode, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TRACER_BUNDLE_FILE } from '@sm/observability';
import { InfraConfigError } from './errors';
import { DEADLINE_ENVIRONMENT_VARIABLE } from '@sm/deadline';
import { defineServiceLimits, type FunctionLimits } from './limits';
import { workspaceRoot } from './workspace';

/** Namespace of the services' EMF metrics (Powertools). */
export const METRICS_NAMESPACE = 'ServerlessMicroservices';

/** The alias every caller invokes: API Gateway integrations, the authorizer, other services. */
export const LIVE_ALIAS = 'live';

/** Properties of a {@link ServiceFunction}. */
export interface ServiceFunctionProps {
  /** The service the function belongs to (`auth`): its bundle directory and Powertools service name. */
  readonly service: string;
  /**
   * The bundle name, i.e. the handler file `apps/<service>/src/handlers/<entry>.ts`, bundled by
   * `nx run <service>:build` into `dist/apps/<service>/<entry>.js`. The Lambda handler is `<entry>.handler`.
   */
  readonly entry: string;
  /** Memory, timeout and reserved concurrency, from the service's `limits.ts`. */
  readonly limits: FunctionLimits;
  /**
   * Service-specific environment variables. The Powertools variables (tracer response capture off
   * included) and `NODE_OPTIONS` are set here and cannot be overridden ({@link RESERVED_ENVIRONMENT}).
   * @default - none
   */
  readonly environment?: { readonly [name: string]: string };
  /**
   * What the function does, shown in the console.
   * @default - "<service> <entry>"
   */
  readonly description?: string;
  /**
   * Directory holding the service's bundles.
   * @default - `dist/apps/<service>` under the workspace root
   */
  readonly bundleDir?: string;
  /**
   * How long the function's log group keeps its logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * More files of the bundle directory the function loads at run time, shipped in its asset with
   * their source maps: a dependency bundled apart because only some invocations need it (get-profile's
   * `ssm-parameters.js`), so the cold start does not parse it. Each must exist at synth.
   * @default - none
   */
  readonly extraFiles?: readonly string[];
  /**
   * A fixed function name, for a function whose ARN others hold (the authorizer, published in
   * SSM): a fixed name keeps the ARN the same by construction, and a change that would replace the
   * function fails at deployment instead of silently giving it a new ARN. Carry the stage in it.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Powertools log level (`POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

const ENTRY = /^[a-z][a-z0-9-]*$/;
/**
 * Set by ServiceFunction and never by a stack. `POWERTOOLS_TRACER_CAPTURE_RESPONSE=false`: a
 * handler's result is never recorded in X-Ray, where anyone with trace access could read it
 * (`POST /tokens` answers with a bearer token; profile and location bodies are personal data).
 */
export const RESERVED_ENVIRONMENT = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
  'NODE_OPTIONS',
  DEADLINE_ENVIRONMENT_VARIABLE,
] as const;

/**
 * One Lambda function of a service, deployed from the bundle the Nx build produced: Node.js 22 on
 * arm64, its own log group with retention, its own role (no managed policies: it can write to its
 * log group and X-Ray, and whatever `grant…` calls add), reserved concurrency, memory and timeout
 * from the service's limits, active tracing and Powertools configuration.
 *
 * The asset is the bundle directory filtered to this function's bundle (`<entry>.js`, its source
 * map) and the service's tracer bundle (`tracer.js`, its source map: the Powertools Tracer and the
 * X-Ray SDK, which `@sm/observability` loads from beside the bundle only when tracing is on, so a
 * cold start does not parse them otherwise). Each function's asset hash, and therefore its
 * deployment, changes only when its own bundle or the tracer bundle does.
 *
 * Every synthesis publishes the function's current configuration as a version (`currentVersion`:
 * its logical id hashes the code and configuration, so a version is published exactly when one of
 * them changes) behind the alias `live`, which is what every caller invokes. A
 * {@link SafeDeployment} moves the alias to a new version gradually and rolls it back on alarms;
 * provisioned concurrency, when the limits ask for it, sits on the alias. Reserved concurrency
 * stays on the function: it caps every version together.
 *
 * Construct ids are a contract: `Role`, `LogGroup`, `Function`, `LiveAlias`.
 */
export class ServiceFunction extends Construct implements iam.IGrantable {
  /** The Lambda function (its `$LATEST`): for grants and configuration, never to be invoked. */
  readonly function: lambda.Function;
  /** The version this synthesis publishes. */
  readonly version: lambda.Version;
  /**
   * The `live` alias: what API Gateway integrations, the authorizer and other callers invoke, and
   * what CodeDeploy shifts from one version to the next.
   */
  readonly alias: lambda.Alias;
  /** The function's log group (the Powertools JSON logs). */
  readonly logGroup: logs.LogGroup;
  /** The function's execution role. */
  readonly role: iam.Role;
  readonly grantPrincipal: iam.IPrincipal;
  /** The service and bundle name, e.g. `auth` and `create-user`. */
  readonly service: string;
  readonly entry: string;
  /** The limits the function was built with. */
  readonly limits: FunctionLimits;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { service, entry } = props;
    if (!ENTRY.test(service)) throw new InfraConfigError(`${this.node.path}: service must be a lower-case name like "auth", got '${service}'`);
    if (!ENTRY.test(entry)) throw new InfraConfigError(`${this.node.path}: entry must be a bundle name like "create-user", got '${entry}'`);
    // Re-validates limits built without defineServiceLimits (timeout under 29 s, whole MB, …).
    defineServiceLimits({ service, stage: { rateLimit: 1, burstLimit: 1 }, headroom: 1, functions: { [entry]: props.limits } });
    if (props.functionName !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(props.functionName)) {
      throw new InfraConfigError(`${this.node.path}: functionName must be 1 to 64 letters, digits, '-' or '_', got '${props.functionName}'`);
    }
    for (const name of Object.keys(props.environment ?? {})) {
      if ((RESERVED_ENVIRONMENT as readonly string[]).includes(name)) {
        throw new InfraConfigError(`${this.node.path}: environment variable ${name} is set by ServiceFunction; remove it from props.environment`);
      }
    }

    const root = workspaceRoot();
    const bundleDir = props.bundleDir ?? join(root, 'dist', 'apps', service);
    const bundle = join(bundleDir, `${entry}.js`);
    if (!existsSync(bundle)) {
      throw new InfraConfigError(
        `${this.node.path}: the bundle ${relative(root, bundle) || bundle} does not exist. Build it first: npx nx run ${service}:build`,
      );
    }
    // Tracing is active, so the function loads the tracer at cold start: without it, it would fail there.
    const tracerBundle = join(bundleDir, TRACER_BUNDLE_FILE);
    if (!existsSync(tracerBundle)) {
      throw new InfraConfigError(
        `${this.node.path}: the tracer bundle ${relative(root, tracerBundle) || tracerBundle} does not exist. ` +
          `The service's build copies it from dist/libs/observability: npx nx run ${service}:build`,
      );
    }

    for (const file of props.extraFiles ?? []) {
      if (!/^[\w.-]+\.js$/.test(file) || !existsSync(join(bundleDir, file))) {
        throw new InfraConfigError(
          `${this.node.path}: extra file ${relative(root, join(bundleDir, file)) || file} must be a .js file of the bundle directory, built by npx nx run ${service}:build`,
        );
      }
    }

    this.service = service;
    this.entry = entry;
    this.limits = props.limits;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // Logs are operational data with a retention; they go with the function.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${service} ${entry}`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description ?? `${service} ${entry}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: `${entry}.handler`,
      code: lambda.Code.fromAsset(bundleDir, {
        // Only this function's bundle, the tracer bundle and its extra files, with their source
        // maps: the asset hash follows these alone, never another function's bundle.
        exclude: [
          '*',
          ...[`${entry}.js`, TRACER_BUNDLE_FILE, ...(props.extraFiles ?? [])].flatMap((file) => [`!${file}`, `!${file}.map`]),
        ],
        ignoreMode: IgnoreMode.GLOB,
      }),
      memorySize: props.limits.memoryMb,
      timeout: Duration.seconds(props.limits.timeoutSeconds),
      reservedConcurrentExecutions: props.limits.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: service,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        // Results carry credentials and personal data: never into traces (see RESERVED_ENVIRONMENT).
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        // The invocation's budget for waiting on dependencies (@sm/deadline), from the limits:
        // the capacity check reads it from here to prove the worst case.
        [DEADLINE_ENVIRONMENT_VARIABLE]: String(props.limits.deadlineMs),
      },
    });

    // Versions of earlier deployments are removed once a deployment succeeds: CodeDeploy only
    // needs the old version during the shift (to roll back to), and a rollback later is a redeploy
    // of the earlier commit; retained versions would accumulate against the 75 GB code storage.
    this.version = this.function.currentVersion;
    this.alias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: LIVE_ALIAS,
      version: this.version,
      description: `What every caller of ${service} ${entry} invokes; CodeDeploy moves it to each new version`,
      provisionedConcurrentExecutions: props.limits.provisionedConcurrency ? props.limits.provisionedConcurrency : undefined,
    });

    this.acknowledgeNagFindings();
  }

  private acknowledgeNagFindings(): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy) {
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by active tracing) use "*": X-Ray has no resource-level permissions for them. Data access is granted per table by grant… calls, never with wildcards.',
      });
    }
    const runtimeReason =
      'Node.js 22 is pinned on purpose: the esbuild bundles target node22 and the local runtime runs Node 22, so what is tested is what runs; nodejs22.x is in AWS standard support, and moving to 24 is one reviewed change of runtime, bundle target and local Node together.';
    Validations.of(this.function.node.defaultChild as Construct).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked only synchronously (API Gateway proxy integration or TOKEN authorizer): a failure goes back to the caller as a problem response and raises the Errors and ERROR-log alarms; there is no asynchronous event to dead-letter.',
      },
    );
  }
}
