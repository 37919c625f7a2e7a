import { createHash } from 'node:crypto';
import type { StackArtifact } from './cloud-assembly';
import { localApiBaseUrl } from './api-base-url';
import { AssemblyError } from './errors';

/** The local stand-ins for what CloudFormation would know about the account. */
export interface LocalEnvironment {
  accountId: string;
  region: string;
  /** Where every API is served, without trailing slash, e.g. `http://127.0.0.1:3000`. */
  origin: string;
  /** @default 'aws' */
  partition?: string;
  /** @default 'amazonaws.com' */
  urlSuffix?: string;
  /**
   * Local number of the first version each function publishes in this assembly, less one: the
   * `AWS::Lambda::Version`s of a function are numbered from `versionBase + 1` in logical-id order.
   * A canary replay reads the current assembly with 1, so its versions follow the previous one's.
   * @default 0
   */
  versionBase?: number;
}

/** Where a value sits in the assembly, for error messages. */
export interface Location {
  stack: StackArtifact;
  resource: string;
  property: string;
}

/** The CDK bootstrap stack version the templates' `BootstrapVersion` parameter resolves to locally. */
const LOCAL_BOOTSTRAP_VERSION = '30';
const SSM_PARAMETER_TYPE = /^AWS::SSM::Parameter::Value<(String|List<String>|CommaDelimitedList)>$/;

/**
 * Resolves CloudFormation intrinsics to the values a deployment would have, with local stand-ins
 * for generated names and ids, so one template runs on this machine unchanged. Anything it cannot
 * resolve is an {@link AssemblyError} naming stack, resource and property: guessing would let the
 * local system drift from the deployed one.
 */
export class IntrinsicResolver {
  readonly partition: string;
  readonly urlSuffix: string;
  private ssmIndex?: Map<string, { stack: StackArtifact; logicalId: string }>;
  private exportIndex?: Map<string, { stack: StackArtifact; output: string }>;
  private readonly inProgress = new Set<string>();
  private apiUrlPattern?: RegExp;
  private readonly apiIds = new Map<string, string>();

  constructor(
    readonly stacks: StackArtifact[],
    readonly env: LocalEnvironment,
  ) {
    this.partition = env.partition ?? 'aws';
    this.urlSuffix = env.urlSuffix ?? 'amazonaws.com';
  }

  region(stack: StackArtifact): string {
    return stack.region ?? this.env.region;
  }

  accountId(stack: StackArtifact): string {
    return stack.account ?? this.env.accountId;
  }

  /** Resolves a property value and rewrites deployed API URLs to their local per-API base URLs. */
  resolve(value: unknown, at: Location): unknown {
    return this.localizeUrls(this.resolveValue(value, at));
  }

  /** Like {@link resolve} but the result must be a string. */
  resolveString(value: unknown, at: Location): string {
    const resolved = this.resolve(value, at);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new AssemblyError(`${describe(at)}: expected a string, got ${JSON.stringify(resolved)}`);
  }

  /** The value `Ref` gives for a resource: its physical name or a stable local id. */
  physicalId(stack: StackArtifact, logicalId: string): string {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw new AssemblyError(`${stack.stackName}: no resource ${logicalId}`);
    const props = resource.Properties ?? {};
    const at = (property: string): Location => ({ stack, resource: logicalId, property });
    const named = (property: string, fallback: () => string) =>
      props[property] !== undefined ? this.resolveString(props[property], at(property)) : fallback();
    const generatedName = () => `${stack.stackName}-${logicalId}`.slice(0, 64);
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return named('FunctionName', generatedName);
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return named('TableName', generatedName);
      case 'AWS::SSM::Parameter':
        return named('Name', () => `CFN-${generatedName()}`);
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName', generatedName);
      case 'AWS::IAM::Role':
        return named('RoleName', generatedName);
      case 'AWS::SNS::Topic':
        return `arn:${this.partition}:sns:${this.region(stack)}:${this.accountId(stack)}:${named('TopicName', generatedName)}`;
      case 'AWS::ApiGateway::Stage':
        return named('StageName', () => 'prod');
      case 'AWS::ApiGateway::Model':
        return named('Name', () => logicalId);
      case 'AWS::ApiGateway::RestApi':
        return this.localId(stack, logicalId, 10);
      case 'AWS::CloudWatch::Alarm':
        return named('AlarmName', generatedName);
      case 'AWS::CloudWatch::Dashboard':
        return named('DashboardName', generatedName);
      case 'AWS::Lambda::Version':
        return `${this.functionArnOf(stack, logicalId)}:${this.versionNumber(stack, logicalId)}`;
      case 'AWS::Lambda::Alias':
        return `${this.functionArnOf(stack, logicalId)}:${this.resolveString(props['Name'], at('Name'))}`;
      case 'AWS::CodeDeploy::Application':
        return named('ApplicationName', generatedName);
      case 'AWS::CodeDeploy::DeploymentGroup':
        return named('DeploymentGroupName', generatedName);
      case 'AWS::Logs::MetricFilter':
        return named('FilterName', generatedName);
      default:
        // API Gateway resource/authorizer/validator ids and anything else: short, stable, unique.
        return this.localId(stack, logicalId, 6);
    }
  }

  /**
   * The local number of an `AWS::Lambda::Version`: its place among the versions of the same
   * function in the stack, by logical id, after {@link LocalEnvironment.versionBase}. CloudFormation
   * numbers versions as it publishes them; one assembly publishes each version once.
   */
  versionNumber(stack: StackArtifact, logicalId: string): string {
    const functionOf = (id: string) => JSON.stringify(stack.template.Resources?.[id]?.Properties?.['FunctionName']);
    const own = functionOf(logicalId);
    const siblings = Object.entries(stack.template.Resources ?? {})
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Version' && functionOf(id) === own)
      .map(([id]) => id)
      .sort();
    return String((this.env.versionBase ?? 0) + siblings.indexOf(logicalId) + 1);
  }

  /** The unqualified ARN of the function a version or an alias belongs to (its `FunctionName`). */
  private functionArnOf(stack: StackArtifact, logicalId: string): string {
    const value = this.resolveString(stack.template.Resources?.[logicalId]?.Properties?.['FunctionName'], { stack, resource: logicalId, property: 'FunctionName' });
    const name = /:function:([^:]+)/.exec(value)?.[1] ?? value;
    return `arn:${this.partition}:lambda:${this.region(stack)}:${this.accountId(stack)}:function:${name}`;
  }

  /** A stable lower-case id like the ones API Gateway generates, derived from stack and logical id. */
  localId(stack: StackArtifact, logicalId: string, length: number): string {
    const key = `${stack.stackName}/${logicalId}`;
    let id = this.apiIds.get(key);
    if (!id) {
      id = BigInt(`0x${createHash('sha256').update(key).digest('hex').slice(0, 16)}`)
        .toString(36)
        .padStart(length, '0')
        .slice(0, length);
      this.apiIds.set(key, id);
    }
    return id;
  }

  /**
   * Tells the resolver which REST APIs exist, so their deployed URLs
   * (`https://<apiId>.execute-api.<region>.<suffix>/<stage>`) map to the same API's local base URL
   * (`<origin>/_aws/execute-api/<apiId>/<stage>`): code that calls an API by its published URL then
   * takes the path it takes when deployed, stage path included.
   */
  registerApiUrls(apis: { apiId: string; stageName: string }[]): void {
    if (apis.length === 0) return;
    const alternatives = apis.map((api) => `${api.apiId}\\.execute-api\\.[a-z0-9-]+\\.[a-z.]+/${escapeRegExp(api.stageName)}`);
    this.apiUrlPattern = new RegExp(`https://(?:${alternatives.join('|')})(?=/|$)`, 'g');
  }

  private localizeUrls(value: unknown): unknown {
    const pattern = this.apiUrlPattern;
    if (!pattern) return value;
    if (typeof value === 'string') return value.replace(pattern, (url) => this.localBaseUrl(url));
    if (Array.isArray(value)) return value.map((item) => this.localizeUrls(item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.localizeUrls(v)]));
    }
    return value;
  }

  /** `https://<apiId>.execute-api.…/<stage>` (one the pattern matched) → its local per-API base URL. */
  private localBaseUrl(deployedUrl: string): string {
    const { hostname, pathname } = new URL(deployedUrl);
    return localApiBaseUrl(this.env.origin, hostname.slice(0, hostname.indexOf('.')), pathname.slice(1));
  }

  private resolveValue(value: unknown, at: Location): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolveValue(item, at)).filter((item) => item !== NO_VALUE);
    }
    if (!value || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const fn = keys.length === 1 ? keys[0] : undefined;
    const arg = fn ? (value as Record<string, unknown>)[fn] : undefined;
    if (fn === 'Ref') return this.ref(arg, at);
    if (fn === 'Condition') return this.condition(arg, at);
    if (fn?.startsWith('Fn::')) return this.fn(fn, arg, at);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const resolved = this.resolveValue(inner, at);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private fn(name: string, arg: unknown, at: Location): unknown {
    const args = Array.isArray(arg) ? arg : [arg];
    switch (name) {
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (args as string[]);
        return this.getAtt(at, String(logicalId), String(attribute));
      }
      case 'Fn::Join': {
        const [separator, list] = args as [string, unknown];
        const items = this.resolveValue(list, at);
        if (!Array.isArray(items)) throw this.error(at, `Fn::Join needs a list, got ${JSON.stringify(items)}`);
        return items.map((item) => this.scalar(item, at, name)).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(args, at);
      case 'Fn::Select': {
        const index = Number(this.resolveValue(args[0], at));
        const list = this.resolveValue(args[1], at);
        if (!Array.isArray(list) || !(index >= 0 && index < list.length)) {
          throw this.error(at, `Fn::Select index ${index} out of range of ${JSON.stringify(list)}`);
        }
        return list[index];
      }
      case 'Fn::Split': {
        const [separator, source] = args as [string, unknown];
        return this.scalar(this.resolveValue(source, at), at, name).split(separator);
      }
      case 'Fn::ImportValue':
        return this.importValue(this.scalar(this.resolveValue(arg, at), at, name), at);
      case 'Fn::If': {
        const [conditionName, whenTrue, whenFalse] = args as [string, unknown, unknown];
        return this.resolveValue(this.condition(conditionName, at) ? whenTrue : whenFalse, at);
      }
      case 'Fn::Equals': {
        const [a, b] = args.map((item) => this.resolveValue(item, at));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not':
        return !this.resolveValue(args[0], at);
      case 'Fn::And':
        return args.every((item) => this.resolveValue(item, at));
      case 'Fn::Or':
        return args.some((item) => this.resolveValue(item, at));
      case 'Fn::FindInMap': {
        const [map, top, second] = args.map((item) => this.scalar(this.resolveValue(item, at), at, name));
        const mappings = (at.stack.template as { Mappings?: Record<string, Record<string, Record<string, unknown>>> }).Mappings;
        const found = mappings?.[map!]?.[top!]?.[second!];
        if (found === undefined) throw this.error(at, `Fn::FindInMap found nothing at ${map}.${top}.${second}`);
        return found;
      }
      default:
        throw this.error(at, `unsupported intrinsic ${name}`);
    }
  }

  private sub(args: unknown[], at: Location): string {
    const [template, variables = {}] = args as [string, Record<string, unknown>];
    if (typeof template !== 'string') throw this.error(at, 'Fn::Sub needs a string template');
    return template.replace(/\$\{(!?)([^}]+)\}/g, (_whole, bang: string, expression: string) => {
      if (bang) return `\${${expression}}`;
      if (expression in variables) return this.scalar(this.resolveValue(variables[expression], at), at, 'Fn::Sub');
      if (expression.includes('.') && !expression.startsWith('AWS::')) {
        const [logicalId, attribute] = splitOnce(expression, '.');
        return this.scalar(this.getAtt(at, logicalId, attribute), at, 'Fn::Sub');
      }
      return this.scalar(this.ref(expression, at), at, 'Fn::Sub');
    });
  }

  private ref(name: unknown, at: Location): unknown {
    const stack = at.stack;
    switch (name) {
      case 'AWS::Region':
        return this.region(stack);
      case 'AWS::AccountId':
        return this.accountId(stack);
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::URLSuffix':
        return this.urlSuffix;
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${this.region(stack)}:${this.accountId(stack)}:stack/${stack.stackName}/local`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    if (typeof name !== 'string') throw this.error(at, `Ref needs a name, got ${JSON.stringify(name)}`);
    const parameter = stack.template.Parameters?.[name];
    if (parameter) return this.parameter(name, parameter, at);
    if (stack.template.Resources?.[name]) return this.physicalId(stack, name);
    throw this.error(at, `Ref to unknown ${name}`);
  }

  private parameter(name: string, parameter: { Type: string; Default?: string }, at: Location): unknown {
    if (SSM_PARAMETER_TYPE.test(parameter.Type)) {
      const parameterName = parameter.Default;
      if (parameterName?.startsWith('/cdk-bootstrap/')) return LOCAL_BOOTSTRAP_VERSION;
      const found = parameterName ? this.ssmParameters().get(parameterName) : undefined;
      if (!found) {
        throw this.error(
          at,
          `template parameter ${name} reads SSM parameter ${parameterName ?? '(no default)'}, which no stack in the assembly creates`,
        );
      }
      const resource = found.stack.template.Resources?.[found.logicalId];
      return this.guard(`${found.stack.stackName}/${found.logicalId}/Value`, () =>
        this.resolveValue(resource?.Properties?.['Value'], { stack: found.stack, resource: found.logicalId, property: 'Value' }),
      );
    }
    if (parameter.Default === undefined) throw this.error(at, `template parameter ${name} has no default to run with locally`);
    return parameter.Type.startsWith('List<') || parameter.Type === 'CommaDelimitedList'
      ? parameter.Default.split(',')
      : parameter.Default;
  }

  private getAtt(at: Location, logicalId: string, attribute: string): unknown {
    const stack = at.stack;
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw this.error(at, `Fn::GetAtt on unknown resource ${logicalId}`);
    const region = this.region(stack);
    const account = this.accountId(stack);
    const p = this.partition;
    const id = () => this.physicalId(stack, logicalId);
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::Lambda::Function.Arn':
        return `arn:${p}:lambda:${region}:${account}:function:${id()}`;
      case 'AWS::Lambda::Version.Version':
        return this.versionNumber(stack, logicalId);
      case 'AWS::Lambda::Version.FunctionArn':
      case 'AWS::Lambda::Alias.AliasArn':
        return id();
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return `arn:${p}:dynamodb:${region}:${account}:table/${id()}`;
      case 'AWS::DynamoDB::Table.StreamArn':
        return `arn:${p}:dynamodb:${region}:${account}:table/${id()}/stream/local`;
      case 'AWS::IAM::Role.Arn':
        return `arn:${p}:iam::${account}:role/${id()}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:${p}:logs:${region}:${account}:log-group:${id()}:*`;
      case 'AWS::SNS::Topic.TopicArn':
        return id();
      case 'AWS::CloudWatch::Alarm.Arn':
        return `arn:${p}:cloudwatch:${region}:${account}:alarm:${id()}`;
      case 'AWS::SSM::Parameter.Value':
        return this.resolveValue(resource.Properties?.['Value'], { stack, resource: logicalId, property: 'Value' });
      case 'AWS::SSM::Parameter.Type':
        return resource.Properties?.['Type'];
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return this.localId(stack, `${logicalId}/root`, 6);
      default:
        throw this.error(at, `unsupported Fn::GetAtt ${logicalId}.${attribute} (${resource.Type})`);
    }
  }

  private importValue(exportName: string, at: Location): unknown {
    if (!this.exportIndex) {
      this.exportIndex = new Map();
      for (const stack of this.stacks) {
        for (const [output, value] of Object.entries(stack.template.Outputs ?? {})) {
          if (value.Export?.Name === undefined) continue;
          const name = this.scalar(
            this.resolveValue(value.Export.Name, { stack, resource: `Outputs.${output}`, property: 'Export.Name' }),
            at,
            'Fn::ImportValue',
          );
          this.exportIndex.set(name, { stack, output });
        }
      }
    }
    const found = this.exportIndex.get(exportName);
    if (!found) throw this.error(at, `Fn::ImportValue ${exportName}: no stack exports it`);
    const output = found.stack.template.Outputs![found.output]!;
    return this.guard(`${found.stack.stackName}/Outputs/${found.output}`, () =>
      this.resolveValue(output.Value, { stack: found.stack, resource: `Outputs.${found.output}`, property: 'Value' }),
    );
  }

  private condition(name: unknown, at: Location): boolean {
    const conditions = (at.stack.template as { Conditions?: Record<string, unknown> }).Conditions;
    if (typeof name !== 'string' || !conditions?.[name]) throw this.error(at, `unknown condition ${JSON.stringify(name)}`);
    return Boolean(this.guard(`${at.stack.stackName}/Conditions/${name}`, () => this.resolveValue(conditions[name], at)));
  }

  private ssmParameters(): Map<string, { stack: StackArtifact; logicalId: string }> {
    if (!this.ssmIndex) {
      this.ssmIndex = new Map();
      for (const stack of this.stacks) {
        for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
          if (resource.Type !== 'AWS::SSM::Parameter' || resource.Properties?.['Name'] === undefined) continue;
          this.ssmIndex.set(this.physicalId(stack, logicalId), { stack, logicalId });
        }
      }
    }
    return this.ssmIndex;
  }

  private guard<T>(key: string, work: () => T): T {
    if (this.inProgress.has(key)) throw new AssemblyError(`circular reference while resolving ${key}`);
    this.inProgress.add(key);
    try {
      return work();
    } finally {
      this.inProgress.delete(key);
    }
  }

  private scalar(value: unknown, at: Location, fn: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error(at, `${fn} needs a string, got ${JSON.stringify(value)}`);
  }

  private error(at: Location, message: string): AssemblyError {
    return new AssemblyError(`${describe(at)}: ${message}`);
  }

}

/** Marker for `Ref: AWS::NoValue`: the property is dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

function describe(at: Location): string {
  return `stack ${at.stack.stackName}, resource ${at.resource}, property ${at.property}`;
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
