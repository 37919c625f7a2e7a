import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** One call of a contract's operation through its generated client, found in a project's source. */
export interface ClientCall {
  /** The Nx project that makes the call, e.g. `profile`. */
  readonly project: string;
  /** The contract project whose client it is, e.g. `contract-location`. */
  readonly contract: string;
  /** Upper-case HTTP method and the path template, exactly as the contract names the operation. */
  readonly method: string;
  readonly path: string;
  /** Repository-relative file and 1-based line of the call. */
  readonly file: string;
  readonly line: number;
}

export interface ProjectRef {
  readonly name: string;
  /** Repository-relative root, e.g. `apps/profile`. */
  readonly root: string;
}

const HTTP_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);

/** What is not production source (the same exclusions as Nx's `production` input, plus tests). */
const NOT_PRODUCTION =
  /(\.spec\.ts|\.test\.ts|\.d\.ts)$|\/(test|__fixtures__|__tests__|generated)\//;

/**
 * Every call the `callers`' production source makes through a generated openapi-fetch client of
 * one of the `contracts`: `client.GET('/loc/{userId}', …)` or `client.request('get', '/loc/…')`.
 *
 * Found with the TypeScript type checker, not by name: a call counts when the receiver's type is
 * openapi-fetch's `Client<paths>` and `paths` is declared in a contract project (its generated
 * `types.ts`). So it does not matter what the client variable is called, how it was created or
 * passed around, and a `.GET()` on anything else never counts.
 */
export function findClientCalls(
  root: string,
  callers: readonly ProjectRef[],
  contracts: readonly ProjectRef[],
): ClientCall[] {
  // Only files with a call shaped like one (`.GET('…')`, `.request('get', '…')`) go into the
  // program: the checker then loads what those import, not every service's CDK stack (aws-cdk-lib's
  // declarations alone make a whole-project program take ~10 s here).
  const files = callers.flatMap((project) =>
    sourceFiles(join(root, project.root))
      .filter(hasCandidateCall)
      .map((file) => ({ file, project: project.name })),
  );
  if (files.length === 0 || contracts.length === 0) return [];
  const program = ts.createProgram(
    files.map((f) => f.file),
    compilerOptions(root),
  );
  const checker = program.getTypeChecker();
  const contractOf = (declarationFile: string) =>
    contracts.find((c) => isInside(relative(root, declarationFile), c.root))?.name;

  const calls: ClientCall[] = [];
  for (const { file, project } of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const found = operationOf(node, node.expression.name.text);
        if (found) {
          const contract = clientContract(checker.getTypeAtLocation(node.expression.expression));
          if (contract) {
            const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
            calls.push({
              project,
              contract,
              ...found,
              file: relative(root, file).split(sep).join('/'),
              line: line + 1,
            });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return calls;

  /** The contract project whose `paths` the client type is instantiated with, if it is a generated client. */
  function clientContract(type: ts.Type): string | undefined {
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (symbol?.getName() !== 'Client') return undefined;
    const declaredIn = symbol.getDeclarations()?.[0]?.getSourceFile().fileName ?? '';
    if (
      !declaredIn.includes(`${sep}openapi-fetch${sep}`) &&
      !declaredIn.includes('/openapi-fetch/')
    )
      return undefined;
    const [paths] = checker.getTypeArguments(type as ts.TypeReference);
    const pathsFile = paths?.getSymbol()?.getDeclarations()?.[0]?.getSourceFile().fileName;
    return pathsFile ? contractOf(pathsFile) : undefined;
  }
}

/** `.GET('/p')` → GET /p; `.request('get', '/p')` → GET /p; anything else → undefined. */
function operationOf(
  call: ts.CallExpression,
  name: string,
): { method: string; path: string } | undefined {
  const literal = (node: ts.Expression | undefined) =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      ? node.text
      : undefined;
  if (HTTP_METHODS.has(name)) {
    const path = literal(call.arguments[0]);
    return path ? { method: name, path } : undefined;
  }
  if (name === 'request') {
    const method = literal(call.arguments[0])?.toUpperCase();
    const path = literal(call.arguments[1]);
    return method && HTTP_METHODS.has(method) && path ? { method, path } : undefined;
  }
  return undefined;
}

/** A syntactic look for a client-shaped call, without the type checker. */
function hasCandidateCall(file: string): boolean {
  const source = ts.createSourceFile(
    file,
    ts.sys.readFile(file) ?? '',
    ts.ScriptTarget.Latest,
    false,
  );
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      operationOf(node, node.expression.name.text)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configFile = join(root, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  if (error)
    throw new Error(
      `cannot read ${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`,
    );
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  return { ...parsed.options, noEmit: true, skipLibCheck: true, types: ['node'] };
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !NOT_PRODUCTION.test(path.split(sep).join('/')))
      files.push(path);
  }
  return files;
}

function isInside(file: string, root: string): boolean {
  const normalized = file.split(sep).join('/');
  return normalized === root || normalized.startsWith(`${root}/`);
}
