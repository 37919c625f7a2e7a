import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/** One API reference on the docs page: a bundled OpenAPI document. */
export interface DocsSpec {
  /** Short name shown as a heading and used in URLs, e.g. `auth`. */
  name: string;
  document: object;
}

export const DOCS_PATH = '/docs';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

/**
 * Finds the bundled contracts (`contracts/<svc>/src/generated/openapi.json`, every `$ref` inlined by
 * the codegen) under the workspace root: the contract, not the templates, carries the
 * descriptions, responses and examples a reader needs.
 */
export function findContractSpecs(workspaceRoot: string): DocsSpec[] {
  const contractsDir = join(workspaceRoot, 'contracts');
  if (!existsSync(contractsDir)) return [];
  return readdirSync(contractsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, file: join(contractsDir, entry.name, 'src', 'generated', 'openapi.json') }))
    .filter(({ file }) => existsSync(file))
    .map(({ name, file }) => ({ name, document: JSON.parse(readFileSync(file, 'utf8')) as object }));
}

/**
 * Serves `GET /docs`: one page with a Swagger UI per contract, every operation listed, assets from
 * the installed swagger-ui-dist package (nothing from a CDN). Returns a handler that answers the
 * requests under `/docs` and leaves the rest.
 */
export function createDocsHandler(
  specs: DocsSpec[],
  origin: string,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const assetCache = new Map<string, Buffer>();
  // "Try it out" calls this runtime, whatever port it runs on.
  const specJson = new Map(
    specs.map((spec) => [`${spec.name}.json`, JSON.stringify({ ...spec.document, servers: [{ url: origin, description: 'This local runtime' }] })]),
  );
  const page = renderPage(specs);
  return (req, res, path) => {
    if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return false;
    const rest = path.slice(DOCS_PATH.length).replace(/^\/+/, '');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method Not Allowed');
    } else if (rest === '') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(page);
    } else if (rest.startsWith('specs/') && specJson.has(rest.slice('specs/'.length))) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(specJson.get(rest.slice('specs/'.length)));
    } else if (rest.startsWith('assets/') && ASSETS[rest.slice('assets/'.length)]) {
      const name = rest.slice('assets/'.length);
      let content = assetCache.get(name);
      if (!content) assetCache.set(name, (content = readFileSync(join(assetsDir, name))));
      res.writeHead(200, { 'content-type': ASSETS[name]!, 'cache-control': 'max-age=3600' }).end(content);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    }
    return true;
  };
}

function renderPage(specs: DocsSpec[]): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const nav = specs.map((spec) => `<a href="#api-${escape(spec.name)}">${escape(spec.name)}</a>`).join(' · ');
  const sections = specs.map((spec) => `<section id="api-${escape(spec.name)}"><div id="ui-${escape(spec.name)}"></div></section>`).join('\n');
  const names = JSON.stringify(specs.map((spec) => spec.name)).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API reference (local)</title>
<link rel="stylesheet" href="${DOCS_PATH}/assets/swagger-ui.css">
<style>body{margin:0;font-family:sans-serif} header{padding:12px 20px;background:#1b1b1b;color:#fff} header a{color:#9cf} section{border-bottom:1px solid #ddd}</style>
</head>
<body>
<header><strong>API reference</strong> — served by the local runtime at this origin: ${nav || 'no contracts found (run <code>npm run generate</code>)'}</header>
${sections}
<script src="${DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
<script>
for (const name of ${names}) {
  SwaggerUIBundle({ url: '${DOCS_PATH}/specs/' + name + '.json', dom_id: '#ui-' + name, deepLinking: false, docExpansion: 'list', tryItOutEnabled: false });
}
</script>
</body>
</html>
`;
}
