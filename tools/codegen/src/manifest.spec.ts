import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contracts, findContract, outputFiles } from './manifest';
import { toolWorkspaceRoot } from './workspace';

interface GenerateTarget {
  cache?: boolean;
  inputs?: unknown[];
  outputs?: string[];
  options?: { command?: string };
}

function generateTarget(name: string): GenerateTarget {
  const projectJson = path.join(toolWorkspaceRoot, 'contracts', name, 'project.json');
  return JSON.parse(readFileSync(projectJson, 'utf8')).targets.generate;
}

/** A workspace-relative path as an Nx input of a contract project. */
function asInput(name: string, file: string): string {
  return file === `contracts/${name}/openapi.yaml`
    ? '{projectRoot}/openapi.yaml'
    : `{workspaceRoot}/${file}`;
}

describe('manifest and Nx generate targets', () => {
  it.each(contracts)(
    'contract-$name: cached on exactly the files it reads, plus the generator',
    (contract) => {
      const target = generateTarget(contract.name);
      const fileInputs = (target.inputs ?? []).filter((i): i is string => typeof i === 'string');

      expect(target.cache).toBe(true);
      expect(fileInputs.filter((i) => !i.includes('tools/codegen')).sort()).toEqual(
        [contract.source, ...contract.references].map((f) => asInput(contract.name, f)).sort(),
      );
      expect(fileInputs).toContain('{workspaceRoot}/tools/codegen/src/**/*.ts');
      expect(fileInputs).toContain('!{workspaceRoot}/tools/codegen/src/**/*.spec.ts');
    },
  );

  it.each(contracts)(
    'contract-$name: outputs its generated directory and runs the CLI for itself',
    (contract) => {
      const target = generateTarget(contract.name);

      expect(target.outputs).toEqual(['{projectRoot}/src/generated']);
      expect(contract.outDir).toBe(`contracts/${contract.name}/src/generated`);
      expect(target.options?.command).toBe(
        `tsx tools/codegen/src/cli.ts --contract ${contract.name}`,
      );
    },
  );

  it('gives every contract the same seven outputs under distinct names', () => {
    const names = Object.values(outputFiles);

    expect(new Set(names).size).toBe(7);
  });

  it('finds a contract by name and lists the known ones otherwise', () => {
    expect(findContract('profile').references).toContain('contracts/location/openapi.yaml');
    expect(() => findContract('billing')).toThrow('Known contracts: auth, location, profile');
  });
});
