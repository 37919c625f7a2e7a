import {
  CfnParameter,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { acknowledgeWildcards, lastDeployedCommitParameterName, type StageName } from '@sm/infra';
import { deployBuildSpec, loadGateBuildSpec, testBuildSpec, type BuildSpec } from '@sm/release';

/** Where the pipeline takes the source from. */
export type PipelineSourceKind = 'connection' | 'codecommit';

/** A deployment stage as the pipeline sees it: its name and where its stacks live. */
export interface PipelineStageTarget {
  /** The stage's name (`staging`, `prod`): the argument of every step and part of its parameters' names. */
  readonly name: StageName;
  /**
   * The stage's account, bootstrapped with `cdk bootstrap --trust <pipeline account>`.
   * @default - the pipeline's own account
   */
  readonly account?: string;
  /** @default - the pipeline's own region */
  readonly region?: string;
}

/** Properties of the {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /**
   * A CodeConnections repository (GitHub, GitLab, Bitbucket), or a CodeCommit repository. The
   * repository, branch and connection are template parameters, set at deployment.
   * @default 'connection'
   */
  readonly source?: PipelineSourceKind;
  /**
   * CPU architecture of the build machines.
   * @default 'arm64' (Graviton: cheaper per build minute)
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /** The stage every change deploys to first and the load gate runs against. @default { name: 'staging' } */
  readonly staging?: PipelineStageTarget;
  /** The stage a change reaches only after the gate passed on staging. @default { name: 'prod' } */
  readonly prod?: PipelineStageTarget;
  /**
   * A manual approval between the load gate and prod (CDK context `pipelineApproval=true`).
   * @default false
   */
  readonly manualApproval?: boolean;
}

/** The pipeline stages, in order. Ids and names are a contract (tests, the README, the rehearsal). */
export const PIPELINE_STAGES = {
  source: 'Source',
  test: 'Test',
  deployStaging: 'DeployStaging',
  loadGate: 'LoadGate',
  approve: 'ApproveProd',
  deployProd: 'DeployProd',
} as const;

/** The gate's output artifact: its reports and verdict, which the prod deploy takes as an input. */
export const GATE_ARTIFACT = 'GateReports';

/**
 * The release pipeline (CodePipeline V2), one execution at a time:
 *
 *   Source → Test → DeployStaging → LoadGate → [ApproveProd] → DeployProd
 *
 * - Test runs every gate CI runs; nothing deploys unless it passes.
 * - DeployStaging runs the preflight against staging's account, deploys what changed since the
 *   commit last deployed to staging (and the consumers of any parameter that changed), then records
 *   this commit in `/sm/pipeline/staging/last-deployed-commit`.
 * - LoadGate runs the full load tests and contract fuzzing against the deployed staging APIs (URLs
 *   from staging's stack outputs, read with staging's read-only role); its reports and verdict are
 *   its output artifact.
 * - DeployProd takes that verdict as an input (so it cannot run without the gate's success, and
 *   checks the verdict is this commit's), then does for prod what DeployStaging did for staging.
 *
 * Each action has its own CodeBuild project and role. A deploy role may assume only its stage's
 * CDK bootstrap roles (deploy, file-publishing, lookup) and write only its stage's record; the gate
 * may assume only staging's lookup role (read-only); the test project has no AWS access beyond its
 * own logs, key and artifacts. What each action runs is a step script under tools/release/steps
 * (`@sm/release` builds the buildspecs), so it ships with the commit being released.
 *
 * Construct ids are a contract: `Artifacts`, `BuildKey`, `BuildLogs`, `Test`, `DeployStaging`,
 * `LoadGateStaging`, `DeployProd`, `LastDeployedCommitStaging`, `LastDeployedCommitProd`, `Pipeline`.
 */
export class PipelineStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  /** The CodeBuild project behind each action, by pipeline stage name. */
  readonly projects: Readonly<
    Record<'test' | 'deployStaging' | 'loadGate' | 'deployProd', codebuild.PipelineProject>
  >;

  private readonly key: kms.Key;
  private readonly buildLogs: logs.LogGroup;
  private readonly cache: codebuild.Cache;
  private readonly buildEnvironment: codebuild.BuildEnvironment;
  private readonly qualifier: string;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, {
      description:
        'Release pipeline: test, staging, load gate on staging, prod (serverless-microservices)',
      ...props,
    });
    const staging = props.staging ?? { name: 'staging' };
    const prod = props.prod ?? { name: 'prod' };
    const branch = new CfnParameter(this, 'Branch', {
      type: 'String',
      default: 'main',
      description: 'Branch whose pushes are released',
    });
    this.qualifier = String(
      this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ??
        DefaultStackSynthesizer.DEFAULT_QUALIFIER,
    );

    const artifacts = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(artifacts.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only transient pipeline artifacts and the build cache (expired after 30 days): private, TLS-only, encrypted, readable only by the pipeline and build roles; API access is in CloudTrail, and an access-log bucket would need the same exception.',
    });
    this.key = new kms.Key(this, 'BuildKey', {
      description: 'Encrypts the release pipeline build output',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    // npm's download cache between builds (buildspec `cache.paths`); S3, because a local cache only
    // survives on a warm build host.
    this.cache = codebuild.Cache.bucket(artifacts, { prefix: 'build-cache' });
    this.buildEnvironment =
      (props.architecture ?? 'arm64') === 'arm64'
        ? {
            buildImage: codebuild.LinuxArmBuildImage.fromDockerRegistry(BUILD_IMAGE),
            computeType: codebuild.ComputeType.LARGE,
          }
        : {
            buildImage: codebuild.LinuxBuildImage.fromDockerRegistry(BUILD_IMAGE),
            computeType: codebuild.ComputeType.LARGE,
          };

    const test = this.releaseProject(
      'Test',
      'Runs every gate (npm test, short load tests and fuzzing) before anything deploys',
      testBuildSpec(),
    );
    const deployStaging = this.deployProject(
      'DeployStaging',
      staging,
      deployBuildSpec(staging.name),
    );
    const loadGate = this.releaseProject(
      'LoadGateStaging',
      `Load tests and contract fuzzing against the deployed ${staging.name} stage`,
      loadGateBuildSpec(staging.name),
      {
        ...this.stageVariables(staging),
      },
    );
    this.grantAssume(loadGate, staging, ['lookup'], 'AssumeStagingReadOnlyRole');
    const deployProd = this.deployProject(
      'DeployProd',
      prod,
      deployBuildSpec(prod.name, { stage: staging.name, artifact: GATE_ARTIFACT }),
    );
    this.projects = { test, deployStaging, loadGate, deployProd };

    const source = new codepipeline.Artifact('Source');
    const gateReports = new codepipeline.Artifact(GATE_ARTIFACT);
    const build = (
      actionName: string,
      project: codebuild.IProject,
      extra: Partial<actions.CodeBuildActionProps> = {},
    ) => new actions.CodeBuildAction({ actionName, project, input: source, ...extra });
    const stages: codepipeline.StageProps[] = [
      {
        stageName: PIPELINE_STAGES.source,
        actions: [this.sourceAction(props.source ?? 'connection', branch.valueAsString, source)],
      },
      { stageName: PIPELINE_STAGES.test, actions: [build('Test', test)] },
      {
        stageName: PIPELINE_STAGES.deployStaging,
        actions: [build('DeployStaging', deployStaging)],
      },
      {
        stageName: PIPELINE_STAGES.loadGate,
        actions: [build('LoadGate', loadGate, { outputs: [gateReports] })],
      },
    ];
    if (props.manualApproval) {
      stages.push({
        stageName: PIPELINE_STAGES.approve,
        actions: [
          new actions.ManualApprovalAction({
            actionName: 'ApproveProd',
            additionalInformation: `The load gate passed on ${staging.name}; approve to deploy to ${prod.name}.`,
          }),
        ],
      });
    }
    stages.push({
      stageName: PIPELINE_STAGES.deployProd,
      actions: [build('DeployProd', deployProd, { extraInputs: [gateReports] })],
    });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: artifacts,
      // The CDK CLI in each deploy action reaches other accounts through their bootstrap roles;
      // no pipeline artifact leaves this account, so no cross-account artifact key.
      crossAccountKeys: false,
      restartExecutionOnUpdate: false,
      // One execution per stage at a time, in order: each stage's record only moves forward.
      executionMode: codepipeline.ExecutionMode.QUEUED,
      stages,
    });

    this.acknowledgeGeneratedPolicies();
  }

  /** A deploy action's project: may assume the stage's bootstrap roles and write the stage's record. */
  private deployProject(
    id: string,
    stage: PipelineStageTarget,
    buildSpec: BuildSpec,
  ): codebuild.PipelineProject {
    const project = this.releaseProject(
      id,
      `Preflight, deploy what changed to ${stage.name}, record the commit`,
      buildSpec,
      this.stageVariables(stage),
    );
    this.grantAssume(
      project,
      stage,
      ['deploy', 'file-publishing', 'lookup'],
      'AssumeStageBootstrapRoles',
    );
    const record = new ssm.StringParameter(this, `LastDeployedCommit${capitalize(stage.name)}`, {
      parameterName: lastDeployedCommitParameterName(stage.name),
      // "none" until the stage's first successful deploy, which deploys every service in order.
      stringValue: 'none',
      description: `Commit last deployed to ${stage.name} by the pipeline; the next deploy to ${stage.name} deploys what changed since`,
    });
    record.grantRead(project);
    record.grantWrite(project);
    return project;
  }

  private releaseProject(
    id: string,
    description: string,
    buildSpec: BuildSpec,
    variables: Record<string, string> = {},
  ): codebuild.PipelineProject {
    const project = new codebuild.PipelineProject(this, id, {
      description,
      environment: this.buildEnvironment,
      encryptionKey: this.key,
      timeout: Duration.minutes(60),
      logging: { cloudWatch: { logGroup: this.buildLogs, prefix: id } },
      cache: this.cache,
      environmentVariables: Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, { value }]),
      ),
      buildSpec: codebuild.BuildSpec.fromObject(buildSpec as unknown as Record<string, unknown>),
    });
    Validations.of(project.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-CB5',
      reason:
        'The Docker official Node.js 22 image (Debian, from ECR Public, multi-arch): `npm test` drives Debian’s Chromium for the docs page test, which the CodeBuild curated images (Amazon Linux, Ubuntu’s snap-only chromium) cannot install; the image is not privileged and only runs the repository’s own pinned toolchain (npm ci).',
    });
    return project;
  }

  /** What the step scripts need to read a stage's account: its read-only role and its region. */
  private stageVariables(stage: PipelineStageTarget): Record<string, string> {
    return {
      STAGE_READ_ROLE_ARN: this.bootstrapRoleArn(stage, 'lookup'),
      STAGE_REGION: stage.region ?? this.region,
    };
  }

  /**
   * The CDK bootstrap role of a stage's account and region (`cdk bootstrap` names them so): the
   * only roles a build may assume. The CDK CLI assumes deploy/file-publishing itself; the steps
   * assume lookup (ReadOnlyAccess without kms:Decrypt) to read outputs, parameters and quotas.
   */
  private bootstrapRoleArn(
    stage: PipelineStageTarget,
    purpose: 'deploy' | 'file-publishing' | 'lookup',
  ): string {
    const account = stage.account ?? this.account;
    const region = stage.region ?? this.region;
    return `arn:${this.partition}:iam::${account}:role/cdk-${this.qualifier}-${purpose}-role-${account}-${region}`;
  }

  private grantAssume(
    project: codebuild.PipelineProject,
    stage: PipelineStageTarget,
    purposes: readonly ('deploy' | 'file-publishing' | 'lookup')[],
    sid: string,
  ): void {
    project.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['sts:AssumeRole'],
        resources: purposes.map((purpose) => this.bootstrapRoleArn(stage, purpose)),
      }),
    );
  }

  private sourceAction(
    kind: PipelineSourceKind,
    branch: string,
    output: codepipeline.Artifact,
  ): codepipeline.IAction {
    if (kind === 'codecommit') {
      const name = new CfnParameter(this, 'CodeCommitRepository', {
        type: 'String',
        description: 'Name of the CodeCommit repository',
      });
      return new actions.CodeCommitSourceAction({
        actionName: 'Source',
        repository: codecommit.Repository.fromRepositoryName(
          this,
          'Repository',
          name.valueAsString,
        ),
        branch,
        output,
        // A full clone: nx affected compares the head with the last deployed commit.
        codeBuildCloneOutput: true,
        trigger: actions.CodeCommitTrigger.POLL,
      });
    }
    const connectionArn = new CfnParameter(this, 'ConnectionArn', {
      type: 'String',
      description:
        'ARN of the CodeConnections connection to the repository host, created and authorised in the console',
      allowedPattern: '^arn:aws[a-z-]*:(codeconnections|codestar-connections):.+$',
    });
    const repository = new CfnParameter(this, 'Repository', {
      type: 'String',
      description: 'The repository as owner/name, e.g. my-org/serverless-microservices',
      allowedPattern: '^[^/]+/[^/]+$',
    });
    // The action's role, made here (not by the pipeline) so it can be granted the connection.
    const role = new iam.Role(this, 'SourceActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Assumed by the pipeline to fetch the source through the connection',
    });
    const action = new actions.CodeStarConnectionsSourceAction({
      actionName: 'Source',
      role,
      connectionArn: connectionArn.valueAsString,
      owner: Fn.select(0, Fn.split('/', repository.valueAsString)),
      repo: Fn.select(1, Fn.split('/', repository.valueAsString)),
      branch,
      output,
      // A full clone: nx affected compares the head with the last deployed commit.
      codeBuildCloneOutput: true,
      triggerOnPush: true,
    });
    this.grantUseConnection(connectionArn.valueAsString, [role, ...Object.values(this.projects)]);
    return action;
  }

  /**
   * CDK grants `codestar-connections:UseConnection` only, while connections created since 2024 are
   * `arn:aws:codeconnections:…` and IAM requires the action's prefix to match the ARN's service.
   * Both prefixes, on the one connection, for the source action's role and every project that
   * clones through the connection (CODEBUILD_CLONE_REF).
   */
  private grantUseConnection(connectionArn: string, grantees: readonly iam.IGrantable[]): void {
    for (const grantee of grantees) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'UseConnection',
          actions: ['codestar-connections:UseConnection', 'codeconnections:UseConnection'],
          resources: [connectionArn],
        }),
      );
    }
  }

  /** The wildcards CDK's grants put into the roles' default policies, each bounded to one resource. */
  private acknowledgeGeneratedPolicies(): void {
    const policies = this.node.findAll().filter((construct) => construct instanceof iam.Policy);
    for (const policy of policies) {
      acknowledgeWildcards(policy, [
        {
          finding:
            /^(Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*|Resource::<Artifacts[0-9A-F]{8}\.Arn>\/(build-cache\/)?\*)$/,
          reason:
            'CDK’s grants on the pipeline artifact bucket: S3 action families (Get*/List*/…) for reading and writing pipeline artifacts and the build cache, on the objects of that one private bucket only.',
        },
        {
          finding: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
          reason:
            'CDK’s grant to use the build projects’ own KMS key: the key-operation families are allowed on that one key only.',
        },
        {
          finding: /^Resource::arn:.+:log-group:\/aws\/codebuild\/<[A-Za-z]+[0-9A-F]{8}>:\*$/,
          reason:
            'CodeBuild writes its log streams (generated names) into the log group of its own project.',
        },
        {
          finding: /^Resource::arn:.+:report-group\/<[A-Za-z]+[0-9A-F]{8}>-\*$/,
          reason:
            'Test report groups CodeBuild creates for a project are named after that one project.',
        },
      ]);
    }
  }
}

/**
 * The build machine: the Docker official Node.js 22 image on Debian (multi-arch). Debian because
 * the test suite drives Debian's Chromium; the repository pins its own Node (npm `node` package).
 */
export const BUILD_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm';

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
