import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParameterSpec, SsmStandIn } from './types';

/** Requests larger than this are refused, as SSM refuses oversized bodies. */
const MAX_BODY_BYTES = 64 * 1024;
/** GetParametersByPath's page size when the caller does not ask for one (SSM's maximum is 10). */
const PAGE_SIZE = 10;

interface AwsError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}
const error = (status: number, type: string, message: string): AwsError => ({
  status,
  type,
  message,
});

/**
 * SSM Parameter Store's read API on 127.0.0.1, serving the assembly's `AWS::SSM::Parameter`
 * resources: what functions that read parameters at run time (Powertools Parameters, the SDK's
 * `GetParameter`) find when deployed. AWS JSON 1.1 protocol: `POST /`, `X-Amz-Target:
 * AmazonSSM.<Operation>`, JSON in and out, errors as `{"__type", "message"}` with status 400.
 *
 * Operations: GetParameter, GetParameters, GetParametersByPath (with `Recursive` and paging).
 * Names may be given plain, as an ARN, or with the `:1` version selector (every value here is
 * version 1). Read-only: the values come from the templates, so anything that writes is refused.
 * Signatures are not checked (nor is IAM; see the README).
 */
export async function startSsmStandIn(
  options: { host?: string; port?: number } = {},
): Promise<SsmStandIn> {
  let byName = new Map<string, ParameterSpec>();
  const modified = Date.now() / 1000;

  const asParameter = (p: ParameterSpec, region: string, account: string) => ({
    Name: p.name,
    Type: p.type,
    Value: p.value,
    Version: 1,
    LastModifiedDate: modified,
    ARN: `arn:aws:ssm:${region}:${account}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`,
    DataType: 'text',
  });

  /** `name`, `name:1`, `arn:aws:ssm:…:parameter/name` → the parameter, or the error SSM gives. */
  const find = (raw: unknown): ParameterSpec | AwsError => {
    if (typeof raw !== 'string' || raw === '')
      return error(400, 'ValidationException', 'Name must be a non-empty string');
    let name = raw.startsWith('arn:')
      ? raw.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, '')
      : raw;
    const selector = /^(.*):([^:/]+)$/.exec(name);
    if (selector) {
      if (selector[2] !== '1')
        return error(
          400,
          'ParameterVersionNotFound',
          `Systems Manager could not find version ${selector[2]} of ${selector[1]}.`,
        );
      name = selector[1]!;
    }
    return byName.get(name) ?? error(400, 'ParameterNotFound', `Parameter ${name} not found.`);
  };

  const operations: Record<
    string,
    (input: Record<string, unknown>, at: { region: string; account: string }) => unknown
  > = {
    GetParameter: (input, at) => {
      const found = find(input['Name']);
      if ('status' in found) throw found;
      return { Parameter: asParameter(found, at.region, at.account) };
    },
    GetParameters: (input, at) => {
      const names = input['Names'];
      if (!Array.isArray(names) || names.length === 0 || names.length > 10)
        throw error(400, 'ValidationException', 'Names must list 1 to 10 names');
      const found = names.map((name) => ({ name, found: find(name) }));
      return {
        Parameters: found.flatMap(({ found: f }) =>
          'status' in f ? [] : [asParameter(f, at.region, at.account)],
        ),
        InvalidParameters: found
          .filter(({ found: f }) => 'status' in f)
          .map(({ name }) => String(name)),
      };
    },
    GetParametersByPath: (input, at) => {
      const path = input['Path'];
      if (typeof path !== 'string' || !path.startsWith('/'))
        throw error(400, 'ValidationException', 'Path must start with /');
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const recursive = input['Recursive'] === true;
      const matching = [...byName.values()]
        .filter(
          (p) =>
            p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const pageSize = Math.min(Number(input['MaxResults'] ?? PAGE_SIZE) || PAGE_SIZE, PAGE_SIZE);
      const start =
        typeof input['NextToken'] === 'string'
          ? Number(Buffer.from(input['NextToken'], 'base64url').toString())
          : 0;
      if (!Number.isSafeInteger(start) || start < 0)
        throw error(400, 'InvalidNextToken', 'The NextToken is not valid');
      const page = matching.slice(start, start + pageSize);
      const next =
        start + pageSize < matching.length
          ? Buffer.from(String(start + pageSize)).toString('base64url')
          : undefined;
      return {
        Parameters: page.map((p) => asParameter(p, at.region, at.account)),
        ...(next ? { NextToken: next } : {}),
      };
    },
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': crypto.randomUUID(),
      })
      .end(text);
  };
  const fail = (res: ServerResponse, e: AwsError) =>
    reply(res, e.status, { __type: e.type, message: e.message });

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = /^AmazonSSM\.(\w+)$/.exec(target)?.[1];
    if (req.method !== 'POST' || !operation)
      return fail(
        res,
        error(
          400,
          'UnknownOperationException',
          `expected POST with X-Amz-Target: AmazonSSM.<Operation>, got ${req.method} ${target || '(none)'}`,
        ),
      );
    const handler = operations[operation];
    if (!handler) {
      return fail(
        res,
        error(
          400,
          /^(Put|Delete|Label|Add|Remove)/.test(operation)
            ? 'AccessDeniedException'
            : 'UnknownOperationException',
          `${operation} is not served locally: parameters come from the cloud assembly and are read-only (GetParameter, GetParameters, GetParametersByPath)`,
        ),
      );
    }
    let input: Record<string, unknown>;
    try {
      input =
        body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
    } catch {
      return fail(res, error(400, 'SerializationException', 'the body is not JSON'));
    }
    // The signature's credential scope says which region the caller thinks it talks to.
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/ssm\//.exec(
      String(req.headers.authorization ?? ''),
    );
    try {
      return reply(
        res,
        200,
        handler(input, { region: scope?.[1] ?? 'us-east-1', account: '123456789012' }),
      );
    } catch (thrown) {
      if (thrown && typeof thrown === 'object' && 'status' in thrown)
        return fail(res, thrown as AwsError);
      return fail(res, error(500, 'InternalServerError', (thrown as Error).message));
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? fail(res, error(413, 'ValidationException', 'request too large'))
        : handle(req, res, Buffer.concat(chunks)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    setParameters: (parameters) => {
      const next = new Map<string, ParameterSpec>();
      for (const p of parameters) {
        const other = next.get(p.name);
        if (other)
          throw new Error(
            `SSM parameter ${p.name} is defined twice: by ${other.id} and by ${p.id}`,
          );
        next.set(p.name, p);
      }
      byName = next;
    },
    parameters: () => [...byName.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
