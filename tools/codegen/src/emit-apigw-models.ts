import { deref, isObject, type JsonObject } from './bundle';
import type { OperationInfo, ParameterLocation } from './collect-operations';
import { toDraft4Model, type ReportEntry } from './draft4';
import { parameterKey } from './emit-validators';

/** The content of `apigw-models.json`, without its notice key. */
export interface ApiGatewayModels {
  readonly models: Record<string, { readonly contentType: string; readonly schema: JsonObject }>;
  readonly operations: Record<
    string,
    { readonly requestModel?: string; readonly requiredParameters: Record<string, boolean> }
  >;
  readonly report: readonly ReportEntry[];
}

/** API Gateway's names for where a request parameter sits. */
const requestParameterSource: Record<ParameterLocation, string> = {
  path: 'path',
  query: 'querystring',
  header: 'header',
};

/** Schema keywords a parameter entry names as left to the Lambda validator. */
function enforcedKeywords(schema: JsonObject): string[] {
  return Object.keys(schema).filter(
    (k) => !['description', 'example', 'examples', 'title'].includes(k),
  );
}

/**
 * Builds the API Gateway models (request bodies) and each method's request parameters. API
 * Gateway checks only that a required parameter is present, so every parameter's schema is
 * reported as enforced by the Lambda validator.
 */
export function buildApiGatewayModels(
  document: JsonObject,
  operations: readonly OperationInfo[],
): ApiGatewayModels {
  const models: ApiGatewayModels['models'] = {};
  const modelOwners = new Map<string, string>();
  const report: ReportEntry[] = [];
  const ops: Record<
    string,
    { requestModel?: string; requiredParameters: Record<string, boolean> }
  > = {};

  for (const operation of operations) {
    const requiredParameters: Record<string, boolean> = {};
    for (const parameter of operation.parameters) {
      requiredParameters[
        `method.request.${requestParameterSource[parameter.in]}.${parameter.name}`
      ] = parameter.required;
      const schema = deref(document, parameter.schema as JsonObject);
      const keywords = isObject(schema) ? enforcedKeywords(schema) : [];
      report.push({
        model: null,
        operationId: operation.operationId,
        pointer: `/${parameter.in}/${parameterKey(parameter.in, parameter.name)}`,
        keyword: 'schema',
        action: `${parameter.required ? 'API Gateway checks only that it is present' : 'optional, so API Gateway does not check it'}; ${keywords.join(', ')} enforced by the Lambda validator`,
      });
    }
    const entry: { requestModel?: string; requiredParameters: Record<string, boolean> } = {
      requiredParameters,
    };
    const body = operation.requestBody;
    if (body) {
      if (!/^[A-Za-z0-9]+$/.test(body.model))
        throw new Error(
          `${operation.operationId}: model name "${body.model}" must be alphanumeric`,
        );
      const owner = modelOwners.get(body.model);
      if (owner === undefined) {
        const converted = toDraft4Model(document, body.schema, body.model);
        models[body.model] = { contentType: body.contentType, schema: converted.schema };
        modelOwners.set(body.model, operation.operationId);
        report.push(...converted.report);
      } else if (
        JSON.stringify(models[body.model]?.schema) !==
        JSON.stringify(toDraft4Model(document, body.schema, body.model).schema)
      ) {
        throw new Error(
          `${operation.operationId} and ${owner} both name their body model "${body.model}" but differ`,
        );
      }
      entry.requestModel = body.model;
    }
    ops[operation.operationId] = entry;
  }

  const sortedModels: ApiGatewayModels['models'] = {};
  for (const name of Object.keys(models).sort())
    sortedModels[name] = models[name] as ApiGatewayModels['models'][string];
  // Code-unit order, not localeCompare: the output must not depend on the machine's locale.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sortedReport = [...report].sort(
    (a, b) =>
      order(a.model ?? '', b.model ?? '') ||
      order(a.operationId ?? '', b.operationId ?? '') ||
      order(a.pointer, b.pointer) ||
      order(a.keyword, b.keyword),
  );
  return { models: sortedModels, operations: ops, report: sortedReport };
}

/** One report entry as a line for the generation log. */
export function formatReportEntry(entry: ReportEntry): string {
  const where = entry.model ?? `${entry.operationId} parameter`;
  return `${where} ${entry.pointer} [${entry.keyword}]: ${entry.action}`;
}
