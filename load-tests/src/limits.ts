import type { LocalSystem } from '@sm/local-runtime';

/** The soft limits that govern one API method, read from the synthesized templates. */
export interface MethodLimits {
  method: string;
  resourcePath: string;
  /** API Gateway's steady-state rate for this method (stage default or method override), requests/s. */
  rateLimit: number;
  /** API Gateway's token-bucket size for this method. */
  burstLimit: number;
  /** The Lambda function behind the method and its reserved concurrency, if any. */
  functionName: string;
  reservedConcurrency: number | undefined;
}

/**
 * Finds the limits of `method resourcePath` in a local system read from the cloud assembly. There is no
 * second description of the limits: they come from the same templates `cdk deploy` uses.
 */
export function methodLimits(
  system: LocalSystem,
  method: string,
  resourcePath: string,
): MethodLimits {
  for (const api of system.apis) {
    const model = api.methods.find(
      (m) => m.httpMethod === method && m.resourcePath === resourcePath,
    );
    if (!model) continue;
    const limit =
      api.throttling.perMethod.get(`${resourcePath} ${method}`) ?? api.throttling.stageDefault;
    if (!limit) {
      throw new Error(
        `${method} ${resourcePath} has no stage throttling in ${api.stackName}: the soft limit is undefined`,
      );
    }
    if (model.integration.type !== 'AWS_PROXY') {
      throw new Error(
        `${method} ${resourcePath} is not a Lambda proxy integration (${model.integration.type})`,
      );
    }
    const functionId = model.integration.functionId;
    const fn = system.functions.find((f) => f.id === functionId);
    if (!fn)
      throw new Error(`${method} ${resourcePath}: function ${functionId} is not in the assembly`);
    return {
      method,
      resourcePath,
      rateLimit: limit.rateLimit,
      burstLimit: limit.burstLimit,
      functionName: fn.functionName,
      reservedConcurrency: fn.reservedConcurrency,
    };
  }
  throw new Error(`No API in the assembly serves ${method} ${resourcePath}`);
}
