/** A REST API as the gateway emulation needs it, resolved from `AWS::ApiGateway::*` resources. */
export interface ApiModel {
  /** `<stack>/<logicalId>` of the RestApi. */
  id: string;
  stackName: string;
  /** The stack's construct id (`SmLocation`), whatever stage holds it. */
  stackId: string;
  name: string;
  apiId: string;
  region: string;
  accountId: string;
  /**
   * The stack's environment as synthesized: `undefined` parts for an environment-agnostic stack,
   * where `region` and `accountId` above are local stand-ins.
   */
  environment: { account?: string; region?: string };
  stageName: string;
  stageVariables: Record<string, string> | null;
  methods: MethodModel[];
  authorizers: Map<string, AuthorizerModel>;
  /** Response type → gateway response as templated. */
  gatewayResponses: Map<string, GatewayResponseModel>;
  /** Throttling per method key (`/items/{id} GET`), from the stage's MethodSettings. */
  throttling: ThrottleSettings;
  /** Detailed CloudWatch metrics (`MetricsEnabled`) per method key, from the same MethodSettings. */
  metricsEnabled?: MethodFlags;
}

/** A per-method boolean of the stage's MethodSettings: the `/*\/*` default and overrides. */
export interface MethodFlags {
  stageDefault?: boolean;
  perMethod: Map<string, boolean>;
}

export interface ThrottleLimit {
  rateLimit: number;
  burstLimit: number;
}

export interface ThrottleSettings {
  /** The stage's `/*\/*` setting: the default limit of every method, each with its own bucket. */
  stageDefault?: ThrottleLimit;
  /** Per-method overrides keyed by `<resourcePath> <HTTP method>`. */
  perMethod: Map<string, ThrottleLimit>;
}

export interface MethodModel {
  apiId: string;
  resourceId: string;
  /** Resource path with its templates, e.g. `/items/{id}` or `/private/{proxy+}`. */
  resourcePath: string;
  /** `GET`, … or `ANY`. */
  httpMethod: string;
  authorizationType: string;
  authorizerId?: string;
  /** Request models by content type: model name and its draft-4 schema. */
  requestModels: Map<string, { name: string; schema: object }>;
  validateBody: boolean;
  validateParameters: boolean;
  /** `method.request.querystring.q` → required. */
  requestParameters: Record<string, boolean>;
  integration: IntegrationModel;
}

export type IntegrationModel =
  /** `qualifier`: the alias or version the integration's ARN names (`live`), none for `$LATEST`. */
  | { type: 'AWS_PROXY'; functionId: string; qualifier?: string; timeoutMs: number }
  | { type: 'MOCK'; statusCode: number; headers: Record<string, string>; body: string }
  | { type: 'UNSUPPORTED'; description: string };

export interface AuthorizerModel {
  authorizerId: string;
  name: string;
  type: string;
  functionId: string;
  /** The alias or version the authorizer's ARN names (`live`), none for `$LATEST`. */
  qualifier?: string;
  /** Header name from `method.request.header.X`. */
  identityHeader: string;
  validationExpression?: RegExp;
  ttlSeconds: number;
}

export interface GatewayResponseModel {
  statusCode?: number;
  /** Content type → VTL template. */
  templates: Record<string, string>;
  /** `gatewayresponse.header.X` → `'static'` or `method.request.header.Y` … */
  parameters: Record<string, string>;
}
