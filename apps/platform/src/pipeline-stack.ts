import { CfnParameter, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
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
import { acknowledgeWildcards, lastDeployedCommitParameterName } from '@sm/infra';

/** Where the pipeline takes the source from. */
export type PipelineSourceKind = 'connection' | 'codecommit';

/** Properties of the {@link PipelineStack}. */
export interface PipelineStackProps extends StackProps {
  /**
   * A CodeConnections (CodeStar connection) repository, e.g. on GitHub, or a CodeCommit repository.
   * The repository, branch and connection are template parameters, set at deployment.
   * @default 'connection'
   */
  readonly source?: PipelineSourceKind;
  /**
   * CPU architecture of the build machine.
   * @default 'arm64' (Graviton: cheaper per build minute)
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /**
   * Services deployed in this order when there is no last deployed commit (the first run): the
   * profile stack reads the location API URL and every service the auth authorizer's ARN from SSM.
   * @default ['auth', 'location', 'profile']
   */
  readonly deployOrder?: readonly string[];
}

/**
 * The delivery pipeline (CodePipeline V2): on every push to the branch it runs `npm ci`, lint,
 * typecheck and tests, synthesizes and lints the templates, then deploys only what changed since
 * the last successful deployment (`nx affected -t deploy --base=<that commit>`), and records the
 * deployed commit in SSM only after everything succeeded. The build role may only assume the CDK
 * bootstrap roles (which do the deployment) and read/write that one parameter.
 *
 * Construct ids are a contract: `Artifacts`, `BuildKey`, `BuildLogs`, `Build`, `Pipeline`, `LastDeployedCommit`.
 */
export class PipelineStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  readonly project: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, { description: 'Delivery pipeline: test, then deploy only the affected services (serverless-microservices)', ...props });
    const kind = props.source ?? 'connection';
    const deployOrder = props.deployOrder ?? ['auth', 'location', 'profile'];
    const branch = new CfnParameter(this, 'Branch', { type: 'String', default: 'main', description: 'Branch whose pushes are deployed' });

    const lastDeployed = new ssm.StringParameter(this, 'LastDeployedCommit', {
      parameterName: lastDeployedCommitParameterName('prod'),
      // "none" until the first successful run, which then deploys every service in order.
      stringValue: 'none',
      description: 'Commit of the last successful deployment; the pipeline deploys what changed since, and advances it after success',
    });

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
        'Holds only transient pipeline artifacts (expired after 30 days): private, TLS-only, encrypted, readable only by the pipeline and build roles; API access is in CloudTrail, and an access-log bucket would need the same exception.',
    });

    const key = new kms.Key(this, 'BuildKey', {
      description: 'Encrypts the build project output',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const buildLogs = new logs.LogGroup(this, 'BuildLogs', { retention: logs.RetentionDays.THREE_MONTHS });

    this.project = new codebuild.PipelineProject(this, 'Build', {
      description: 'Tests the repository and deploys the affected services with the CDK',
      environment:
        (props.architecture ?? 'arm64') === 'arm64'
          ? { buildImage: codebuild.LinuxArmBuildImage.fromDockerRegistry(BUILD_IMAGE), computeType: codebuild.ComputeType.LARGE }
          : { buildImage: codebuild.LinuxBuildImage.fromDockerRegistry(BUILD_IMAGE), computeType: codebuild.ComputeType.MEDIUM },
      encryptionKey: key,
      timeout: Duration.minutes(60),
      logging: { cloudWatch: { logGroup: buildLogs } },
      environmentVariables: {
        LAST_DEPLOYED_PARAMETER: { value: lastDeployed.parameterName },
        DEPLOY_ORDER: { value: deployOrder.join(' ') },
      },
      buildSpec: codebuild.BuildSpec.fromObject(buildSpec()),
    });

    Validations.of(this.project.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-CB5',
      reason:
        'The Docker official Node.js 22 image (Debian, from ECR Public, multi-arch): `npm test` drives Debian’s Chromium for the docs page test, which the CodeBuild curated images (Amazon Linux, Ubuntu’s snap-only chromium) cannot install; the image is not privileged and only runs the repository’s own pinned toolchain (npm ci).',
    });

    // Least privilege: the CDK CLI deploys by assuming the bootstrap roles of this account and
    // region (`cdk bootstrap` creates them; CloudFormation's execution role makes the changes).
    // Nothing else, and no admin policy.
    const qualifier = String(this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
    const role = this.project.role as iam.Role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole'],
        resources: ['deploy', 'file-publishing', 'lookup'].map(
          (purpose) => `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${purpose}-role-${this.account}-${this.region}`,
        ),
      }),
    );
    lastDeployed.grantRead(role);
    lastDeployed.grantWrite(role);

    const sourceOutput = new codepipeline.Artifact('Source');
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: artifacts,
      crossAccountKeys: false,
      restartExecutionOnUpdate: false,
      // One deployment at a time: the last-deployed commit must advance in order.
      executionMode: codepipeline.ExecutionMode.QUEUED,
      stages: [
        { stageName: 'Source', actions: [this.sourceAction(kind, branch.valueAsString, sourceOutput)] },
        {
          stageName: 'TestAndDeploy',
          actions: [new actions.CodeBuildAction({ actionName: 'TestAndDeploy', project: this.project, input: sourceOutput })],
        },
      ],
    });

    this.acknowledgeGeneratedPolicies();
  }

  private sourceAction(kind: PipelineSourceKind, branch: string, output: codepipeline.Artifact): codepipeline.IAction {
    if (kind === 'codecommit') {
      const name = new CfnParameter(this, 'CodeCommitRepository', { type: 'String', description: 'Name of the CodeCommit repository' });
      return new actions.CodeCommitSourceAction({
        actionName: 'Source',
        repository: codecommit.Repository.fromRepositoryName(this, 'Repository', name.valueAsString),
        branch,
        output,
        // A full clone: nx affected compares the head with the last deployed commit.
        codeBuildCloneOutput: true,
        trigger: actions.CodeCommitTrigger.POLL,
      });
    }
    const connectionArn = new CfnParameter(this, 'ConnectionArn', {
      type: 'String',
      description: 'ARN of the CodeConnections (CodeStar) connection to the repository host, created and authorised in the console',
      allowedPattern: '^arn:aws[a-z-]*:(codeconnections|codestar-connections):.+$',
    });
    const repository = new CfnParameter(this, 'Repository', {
      type: 'String',
      description: 'The repository as owner/name, e.g. my-org/serverless-microservices',
      allowedPattern: '^[^/]+/[^/]+$',
    });
    return new actions.CodeStarConnectionsSourceAction({
      actionName: 'Source',
      connectionArn: connectionArn.valueAsString,
      owner: Fn.select(0, Fn.split('/', repository.valueAsString)),
      repo: Fn.select(1, Fn.split('/', repository.valueAsString)),
      branch,
      output,
      // A full clone: nx affected compares the head with the last deployed commit.
      codeBuildCloneOutput: true,
      triggerOnPush: true,
    });
  }

  /** The wildcards CDK's grants put into the roles' default policies, each bounded to one resource. */
  private acknowledgeGeneratedPolicies(): void {
    const artifactObjects = {
      finding: /^(Action::s3:(Abort|DeleteObject|GetBucket|GetObject|List)\*|Resource::<Artifacts[0-9A-F]{8}\.Arn>\/\*)$/,
      reason:
        'CDK’s grant on the pipeline artifact bucket: S3 action families (Get*/List*/…) for reading and writing pipeline artifacts, on the objects of that one private bucket only.',
    };
    // The build role, the pipeline role and each action's role: every policy CDK generated here.
    const policies = this.node.findAll().filter((construct) => construct instanceof iam.Policy);
    for (const policy of policies) {
      acknowledgeWildcards(policy, [
        artifactObjects,
        {
          finding: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
          reason: 'CDK’s grant to use the build project’s own KMS key: the key-operation families are allowed on that one key only.',
        },
        {
          finding: /^Resource::arn:.+:log-group:\/aws\/codebuild\/<Build[0-9A-F]{8}>:\*$/,
          reason: 'CodeBuild writes its log streams (generated names) into the log group of this one project.',
        },
        {
          finding: /^Resource::arn:.+:report-group\/<Build[0-9A-F]{8}>-\*$/,
          reason: 'Test report groups CodeBuild creates for this one project are named after it.',
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

/**
 * The build: install, test, synthesize and lint the templates, deploy what changed, then record
 * the deployed commit. Any failing command fails the build before the parameter is advanced, so
 * the next run deploys the same changes again.
 */
function buildSpec(): Record<string, unknown> {
  return {
    version: '0.2',
    env: {
      variables: { CI: 'true', NX_NO_CLOUD: 'true', NX_DAEMON: 'false', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      shell: 'bash',
    },
    phases: {
      install: {
        commands: [
          // Chromium for the docs page test, venv for the pinned Python tools, the AWS CLI for SSM.
          'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium python3-venv awscli >/dev/null',
          'npm ci',
        ],
      },
      pre_build: {
        commands: [
          // CodePipeline's full clone may still be shallow; nx affected needs the base commit.
          'if [ "$(git rev-parse --is-shallow-repository)" = "true" ]; then git fetch --unshallow --quiet; fi',
          'BASE="$(aws ssm get-parameter --name "$LAST_DEPLOYED_PARAMETER" --query Parameter.Value --output text)"',
          // An unknown base (first run, rewritten history) means: deploy everything, in order.
          'if ! git cat-file -e "${BASE}^{commit}" 2>/dev/null; then echo "no usable last deployed commit ($BASE): deploying every service"; BASE=""; fi',
          'npm test',
          'npm run synth',
          'npm run lint:cfn',
          // The soft-limit load tests and the contract fuzzing run before every release (short
          // versions, against the local runtime of this very cloud assembly).
          'npm run load:quick',
          'npm run fuzz:quick',
        ],
      },
      build: {
        commands: [
          'HEAD_COMMIT="$(git rev-parse HEAD)"',
          // One deployment at a time: each `cdk deploy` synthesizes into the same cdk.out.
          'if [ -n "$BASE" ]; then npx nx affected -t deploy --base="$BASE" --head="$HEAD_COMMIT" --parallel=1 --outputStyle=stream; else for service in $DEPLOY_ORDER; do npx nx run "$service:deploy" --outputStyle=stream; done; fi',
          'aws ssm put-parameter --name "$LAST_DEPLOYED_PARAMETER" --value "$HEAD_COMMIT" --overwrite',
        ],
      },
    },
    cache: { paths: ['/root/.npm/**/*'] },
  };
}
