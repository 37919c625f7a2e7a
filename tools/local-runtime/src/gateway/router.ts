import type { ApiModel, MethodModel } from '../assembly';

/** What a request path resolved to. */
export interface RouteMatch {
  api: ApiModel;
  /** `undefined` when the resource exists but not this method (API Gateway still answers 403). */
  method?: MethodModel;
  pathParameters: Record<string, string> | null;
}

interface Node {
  /** Literal children by segment. */
  statics: Map<string, Node>;
  /** `{name}` child. */
  param?: { name: string; node: Node };
  /** `{name+}` child: one or more remaining segments. */
  greedy?: { name: string; node: Node };
  /** Resource path → API that owns the resource at this node (several APIs may share "/"). */
  methods: Map<string, MethodModel>;
  apis: ApiModel[];
}

const newNode = (): Node => ({ statics: new Map(), methods: new Map(), apis: [] });

/** Thrown at startup when two APIs claim one path and method, or an API claims a reserved path. */
export class RouteConflictError extends Error {
  override name = 'RouteConflictError';
}

/**
 * One resource tree for every API served on the local origin. Lookups follow API Gateway's
 * precedence: a literal segment before `{param}`, and `{param}` before a greedy `{proxy+}`.
 */
export class Router {
  private readonly root = newNode();
  private readonly owners = new Map<string, ApiModel>();

  constructor(apis: ApiModel[], reservedPaths: string[] = []) {
    for (const api of apis) {
      for (const method of api.methods) this.add(api, method, reservedPaths);
    }
  }

  /** Every route as `METHOD /path`, sorted, for the ready banner. */
  routes(): { method: string; path: string; api: ApiModel; secured: boolean; mockStatus?: number }[] {
    const out: { method: string; path: string; api: ApiModel; secured: boolean; mockStatus?: number }[] = [];
    for (const [key, api] of this.owners) {
      const [method, path] = key.split(' ') as [string, string];
      const model = api.methods.find((m) => m.httpMethod === method && m.resourcePath === path);
      const mockStatus = model?.integration.type === 'MOCK' ? model.integration.statusCode : undefined;
      out.push({ method, path, api, secured: model?.authorizationType === 'CUSTOM', ...(mockStatus === undefined ? {} : { mockStatus }) });
    }
    return out.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  match(httpMethod: string, path: string): RouteMatch | undefined {
    const segments = path.split('/');
    // Leading "" from the first slash; API Gateway ignores one trailing slash.
    segments.shift();
    if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
    const params: [string, string][] = [];
    const node = this.find(this.root, segments, 0, params);
    if (!node) return undefined;
    const method = node.methods.get(httpMethod) ?? node.methods.get('ANY');
    const api = method ? this.apiOf(method) : node.apis[0];
    if (!api) return undefined;
    let pathParameters: Record<string, string> | null = null;
    if (params.length > 0) {
      pathParameters = {};
      for (const [name, value] of params) pathParameters[name] = value;
    }
    return { api, method, pathParameters };
  }

  /** The API whose resource tree covers most of the path: its gateway responses answer unknown routes. */
  closestApi(path: string): ApiModel | undefined {
    let node = this.root;
    let best = this.root.apis[0];
    for (const segment of path.split('/').filter(Boolean)) {
      const next = node.statics.get(segment) ?? node.param?.node ?? node.greedy?.node;
      if (!next) break;
      node = next;
      best = node.apis[0] ?? best;
    }
    return best ?? this.owners.values().next().value;
  }

  private apiOf(method: MethodModel): ApiModel | undefined {
    return this.owners.get(`${method.httpMethod} ${method.resourcePath}`);
  }

  private find(node: Node, segments: string[], index: number, params: [string, string][]): Node | undefined {
    if (index === segments.length) return node.methods.size > 0 || node.apis.length > 0 ? node : undefined;
    const segment = segments[index]!;
    const literal = node.statics.get(segment);
    if (literal) {
      const found = this.find(literal, segments, index + 1, params);
      if (found) return found;
    }
    if (node.param && segment !== '') {
      params.push([node.param.name, safeDecode(segment)]);
      const found = this.find(node.param.node, segments, index + 1, params);
      if (found) return found;
      params.pop();
    }
    if (node.greedy) {
      params.push([node.greedy.name, safeDecode(segments.slice(index).join('/'))]);
      return node.greedy.node;
    }
    return undefined;
  }

  private add(api: ApiModel, method: MethodModel, reservedPaths: string[]): void {
    const key = `${method.httpMethod} ${method.resourcePath}`;
    for (const reserved of reservedPaths) {
      if (method.resourcePath === reserved || method.resourcePath.startsWith(`${reserved}/`)) {
        throw new RouteConflictError(`${key} of API ${api.id} collides with the local runtime's own ${reserved}`);
      }
    }
    const owner = this.owners.get(key);
    if (owner) throw new RouteConflictError(`${key} is claimed by two APIs: ${owner.id} and ${api.id}`);
    this.owners.set(key, api);
    let node = this.root;
    if (!node.apis.includes(api)) node.apis.push(api);
    for (const part of method.resourcePath.split('/').filter(Boolean)) {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      const param = /^\{(.+)\}$/.exec(part);
      if (greedy) {
        node.greedy ??= { name: greedy[1]!, node: newNode() };
        node = node.greedy.node;
      } else if (param) {
        node.param ??= { name: param[1]!, node: newNode() };
        if (node.param.name !== param[1]) {
          throw new RouteConflictError(`${key} of API ${api.id}: {${param[1]}} and {${node.param.name}} are siblings in one path`);
        }
        node = node.param.node;
      } else {
        let next = node.statics.get(part);
        if (!next) node.statics.set(part, (next = newNode()));
        node = next;
      }
      if (!node.apis.includes(api)) node.apis.push(api);
    }
    node.methods.set(method.httpMethod, method);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
