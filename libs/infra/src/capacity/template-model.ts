import { DEADLINE_ENVIRONMENT_VARIABLE } from '@sm/deadline';

/**
 * Reads what the capacity check needs from synthesized CloudFormation templates: functions with
 * their reserved concurrency, and for every REST API method its throttle, the function it
 * integrates and the authorizer function it waits for. Cross-stack references through SSM
 * parameters (the authorizer's ARN) are followed to the stack that publishes them.
 */

/** A synthesized stack template, as far as this module reads it. */
export interface CfnTemplate {
  readonly Parameters?: { readonly [logicalId: string]: { readonly Type: string; readonly Default?: unknown } };
  readonly Resources?: { readonly [logicalId: string]: { readonly Type: string; readonly Properties?: Record<string, unknown> } };
}

export interface StackTemplate {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** A Lambda function of some stack. */
export interface FunctionRef {
  readonly stackName: string;
  readonly logicalId: string;
  /** The bundle name from the `<entry>.handler` handler string. */
  readonly entry: string;
  readonly reservedConcurrency: number | undefined;
  readonly timeoutSeconds: number | undefined;
  /** Provisioned concurrency of its aliases and versions, together (0 when off). */
  readonly provisionedConcurrency: number;
  /** `SM_DEADLINE_MS` from its environment: its budget for waiting on dependencies per invocation. */
  readonly deadlineMs: number | undefined;
}

/**
 * How an ARN names a function: unqualified (`$LATEST`, what an integration must never call: the
 * code deployed last, outside any traffic shift), an alias (`live`), or a version number.
 */
export type Qualifier = { readonly kind: '$LATEST' } | { readonly kind: 'alias'; readonly name: string } | { readonly kind: 'version' };

/** One API method and what serves it. */
export interface MethodRef {
  readonly stackName: string;
  readonly apiLogicalId: string;
  /** `GET /loc/{userId}`. */
  readonly route: string;
  readonly rateLimit: number | undefined;
  readonly burstLimit: number | undefined;
  readonly integration: FunctionRef | undefined;
  /**
   * A `MOCK` integration: API Gateway answers itself (ContractRestApi's 405 methods), no function
   * behind it. Still throttled, so it still counts against the account's rate and burst.
   */
  readonly mock: boolean;
  readonly authorizer: FunctionRef | undefined;
  /** What the integration's and the authorizer's ARNs qualify the function with. */
  readonly integrationQualifier: Qualifier | undefined;
  readonly authorizerQualifier: Qualifier | undefined;
}

export interface TemplateModel {
  readonly functions: FunctionRef[];
  readonly methods: MethodRef[];
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const key = (stackName: string, logicalId: string) => `${stackName}/${logicalId}`;

/** Reads functions and methods from every stack of one cloud assembly. */
export function readTemplates(stacks: readonly StackTemplate[]): TemplateModel {
  const functions = new Map<string, FunctionRef & { provisionedConcurrency: number }>();
  const ssmValues = new Map<string, { stackName: string; value: Json }>();
  /** Aliases and versions: stack/logicalId → the function they qualify (its logical id) and how. */
  const qualified = new Map<string, { functionId: string; qualifier: Qualifier; provisioned: number }>();
  for (const { stackName, template } of stacks) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::Lambda::Function') {
        const handler = typeof props['Handler'] === 'string' ? props['Handler'] : '';
        functions.set(key(stackName, logicalId), {
          stackName,
          logicalId,
          entry: handler.replace(/\.handler$/, ''),
          reservedConcurrency: numberOrUndefined(props['ReservedConcurrentExecutions']),
          timeoutSeconds: numberOrUndefined(props['Timeout']),
          provisionedConcurrency: 0,
          deadlineMs: numberOrUndefined(environmentOf(props)[DEADLINE_ENVIRONMENT_VARIABLE]),
        });
      }
      if (resource.Type === 'AWS::Lambda::Alias' || resource.Type === 'AWS::Lambda::Version') {
        const functionId = isObject(props['FunctionName']) ? props['FunctionName']['Ref'] : undefined;
        const provisioned = isObject(props['ProvisionedConcurrencyConfig']) ? (numberOrUndefined(props['ProvisionedConcurrencyConfig']['ProvisionedConcurrentExecutions']) ?? 0) : 0;
        if (typeof functionId === 'string') {
          qualified.set(key(stackName, logicalId), {
            functionId,
            qualifier: resource.Type === 'AWS::Lambda::Alias' ? { kind: 'alias', name: String(props['Name']) } : { kind: 'version' },
            provisioned,
          });
        }
      }
      if (resource.Type === 'AWS::SSM::Parameter' && typeof props['Name'] === 'string') {
        ssmValues.set(props['Name'], { stackName, value: props['Value'] });
      }
    }
  }
  for (const [id, { functionId, provisioned }] of qualified) {
    const fn = functions.get(key(id.slice(0, id.lastIndexOf('/')), functionId));
    if (fn) fn.provisionedConcurrency += provisioned;
  }

  /**
   * The function an ARN-valued expression of `stackName` points to and how it is qualified,
   * following aliases and versions (`Ref`) and SSM parameters to the stack that publishes them.
   */
  const targetOf = (stackName: string, value: Json, depth = 0): { fn: FunctionRef; qualifier: Qualifier } | undefined => {
    if (depth > 5) return undefined;
    const template = stacks.find((s) => s.stackName === stackName)?.template ?? {};
    let found: { fn: FunctionRef; qualifier: Qualifier } | undefined;
    walk(value, (node) => {
      if (found) return;
      const getAtt = node['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
        const fn = functions.get(key(stackName, getAtt[0]));
        if (fn) found = { fn, qualifier: { kind: '$LATEST' } };
      }
      const ref = node['Ref'];
      if (typeof ref === 'string') {
        const alias = qualified.get(key(stackName, ref));
        const fn = alias ? functions.get(key(stackName, alias.functionId)) : undefined;
        if (alias && fn) found = { fn, qualifier: alias.qualifier };
        const parameter = template.Parameters?.[ref];
        if (parameter?.Type.startsWith('AWS::SSM::Parameter::Value') && typeof parameter.Default === 'string') {
          const published = ssmValues.get(parameter.Default);
          if (published) found = targetOf(published.stackName, published.value, depth + 1);
        }
      }
    });
    return found;
  };

  const methods: MethodRef[] = [];
  for (const { stackName, template } of stacks) {
    const resources = template.Resources ?? {};
    const refOf = (value: Json) => (isObject(value) && typeof value['Ref'] === 'string' ? value['Ref'] : undefined);
    const pathOf = (resourceId: Json, depth = 0): string => {
      const id = refOf(resourceId);
      const resource = id ? resources[id] : undefined;
      if (!resource || resource.Type !== 'AWS::ApiGateway::Resource' || depth > 50) return '';
      return `${pathOf(resource.Properties?.['ParentId'], depth + 1)}/${String(resource.Properties?.['PathPart'])}`;
    };
    const stages = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Stage');
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Method') continue;
      const props = resource.Properties ?? {};
      const apiLogicalId = refOf(props['RestApiId']) ?? '?';
      const httpMethod = String(props['HttpMethod']);
      const path = pathOf(props['ResourceId']) || '/';
      const stage = stages.find((s) => refOf(s.Properties?.['RestApiId']) === apiLogicalId);
      const throttle = methodThrottle(stage?.Properties?.['MethodSettings'], path, httpMethod);
      const integration = isObject(props['Integration']) ? targetOf(stackName, props['Integration']['Uri']) : undefined;
      const authorizerId = refOf(props['AuthorizerId']);
      const authorizerResource = authorizerId ? resources[authorizerId] : undefined;
      const authorizer = authorizerResource ? targetOf(stackName, authorizerResource.Properties?.['AuthorizerUri']) : undefined;
      methods.push({
        stackName,
        apiLogicalId,
        route: `${httpMethod} ${path}`,
        rateLimit: throttle.rateLimit,
        burstLimit: throttle.burstLimit,
        integration: integration?.fn,
        mock: isObject(props['Integration']) && props['Integration']['Type'] === 'MOCK',
        authorizer: authorizer?.fn,
        integrationQualifier: integration?.qualifier,
        authorizerQualifier: authorizer?.qualifier,
      });
    }
  }
  return { functions: [...functions.values()], methods };
}

/**
 * The throttle API Gateway applies to one method: its own MethodSettings entry if any, else the
 * stage default (`/*` `*`). Each method has its own bucket either way.
 */
function methodThrottle(settings: Json, path: string, httpMethod: string): { rateLimit?: number; burstLimit?: number } {
  if (!Array.isArray(settings)) return {};
  const encodedPath = path.replace(/~/g, '~0').replace(/\//g, '~1');
  const matches = (s: Record<string, Json>, resourcePath: string, method: string) => s['ResourcePath'] === resourcePath && s['HttpMethod'] === method;
  const entries = settings.filter(isObject);
  const own = entries.find((s) => matches(s, `/${encodedPath}`, httpMethod) || matches(s, encodedPath, httpMethod));
  const stageDefault = entries.find((s) => matches(s, '/*', '*'));
  const pick = (name: string) => numberOrUndefined(own?.[name]) ?? numberOrUndefined(stageDefault?.[name]);
  return { rateLimit: pick('ThrottlingRateLimit'), burstLimit: pick('ThrottlingBurstLimit') };
}

/** A function's environment variables as synthesized (a literal map; intrinsics stay as they are). */
function environmentOf(props: Record<string, Json>): Record<string, Json> {
  const environment = props['Environment'];
  const variables = isObject(environment) ? environment['Variables'] : undefined;
  return isObject(variables) ? variables : {};
}

function numberOrUndefined(value: Json): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function walk(value: Json, visit: (node: Record<string, Json>) => void): void {
  if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
  else if (isObject(value)) {
    visit(value);
    Object.values(value).forEach((item) => walk(item, visit));
  }
}
