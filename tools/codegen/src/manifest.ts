/**
 * The one place that says which contracts exist, which files each contract reads, and which files
 * the generator writes for it. The Nx `generate` target of each `contract-<name>` project lists
 * the same source files as its cache inputs; a spec keeps the two in step.
 */
export interface ContractEntry {
  /** Service name: the contract lives in `contracts/<name>/`, its Nx project is `contract-<name>`. */
  readonly name: string;
  /** The contract document, relative to the workspace root. */
  readonly source: string;
  /**
   * Every other file the contract's `$ref`s reach, relative to the workspace root. Generation fails
   * when the bundler reads a file that is not listed, so Nx's cache inputs can never miss one.
   */
  readonly references: readonly string[];
  /** Directory of the generated files, relative to the workspace root. */
  readonly outDir: string;
  /** Name of the typed client factory exported by `client.ts`. */
  readonly clientFactory: string;
}

/** What each generated file holds; every contract gets all of them, under the same names. */
export const outputFiles = {
  /** openapi-typescript types: `paths`, `operations`, `components`. */
  types: 'types.ts',
  /** Runtime manifest of every operation (method, path, security, parameters, responses). */
  operations: 'operations.ts',
  /**
   * ajv standalone validators bundled into one self-contained module, one export per operation
   * (`getLocationValidators`) so a Lambda bundle keeps only its own, plus `validators` (all).
   */
  validators: 'validators.ts',
  /** The validators' precise types: bodies and responses are type guards of the contract types. */
  validatorTypes: 'validator-types.ts',
  /** API Gateway models (JSON Schema draft 4), request requirements and the conversion report. */
  apiGatewayModels: 'apigw-models.json',
  /** The bundled contract: every `$ref` to another file hoisted into `components`. */
  openApi: 'openapi.json',
  /** Typed openapi-fetch client factory. */
  client: 'client.ts',
} as const;

export type OutputKind = keyof typeof outputFiles;

const common = 'contracts/common/components.yaml';

function entry(name: string, references: readonly string[], clientFactory: string): ContractEntry {
  return {
    name,
    source: `contracts/${name}/openapi.yaml`,
    references,
    outDir: `contracts/${name}/src/generated`,
    clientFactory,
  };
}

/** Every contract, in generation order. */
export const contracts: readonly ContractEntry[] = [
  entry('auth', [common], 'createAuthClient'),
  entry('location', [common], 'createLocationClient'),
  entry('profile', [common, 'contracts/location/openapi.yaml'], 'createProfileClient'),
];

/** Looks a contract up by name, failing with the list of known names. */
export function findContract(name: string): ContractEntry {
  const found = contracts.find((c) => c.name === name);
  if (!found) {
    const known = contracts.map((c) => c.name).join(', ');
    throw new Error(`Unknown contract "${name}". Known contracts: ${known}.`);
  }
  return found;
}

/** The command that regenerates a contract, quoted in every generated file's header. */
export function regenerateCommand(contract: ContractEntry): string {
  return `npx nx run contract-${contract.name}:generate`;
}
