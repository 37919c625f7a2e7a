import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssemblyError } from './errors';

/** The stage run when none is named: the system's production configuration. */
export const DEFAULT_STAGE = 'prod';

/** The part of a cloud assembly the runtime runs. */
export interface StageSelection {
  /** The assembly directory to read: a stage's nested assembly (`cdk.out/assembly-Prod`), or the whole one. */
  readonly assemblyDir: string;
  /** The stage's name (`prod`), or `undefined` for an assembly without stages. */
  readonly stage: string | undefined;
  /** Every stage the assembly holds, in manifest order (lower-case names). */
  readonly stages: string[];
}

/**
 * Chooses one deployment stage of a cloud assembly. An app that wraps its stacks in CDK `Stage`s
 * (`Staging`, `Prod`) synthesizes every stage as a nested assembly; the runtime serves one of them,
 * since each stage is a complete copy of the system (same routes on one origin). A stage is named
 * by its id, case-insensitively (`prod` → `Prod`). Without stages the whole assembly runs, and
 * naming one is an error; with stages and none named, {@link DEFAULT_STAGE}.
 */
export function selectStage(assemblyDir: string, stage?: string): StageSelection {
  const dir = resolve(assemblyDir);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new AssemblyError(
      `No cloud assembly at ${dir}: manifest.json is missing (run \`npm run synth\` first)`,
    );
  }
  const artifacts =
    (
      JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        artifacts?: Record<
          string,
          {
            type: string;
            displayName?: string;
            properties?: { directoryName?: string; displayName?: string };
          }
        >;
      }
    ).artifacts ?? {};
  const nested = Object.entries(artifacts).flatMap(([id, artifact]) => {
    const directoryName =
      artifact.type === 'cdk:cloud-assembly' ? artifact.properties?.directoryName : undefined;
    if (!directoryName) return [];
    // CDK writes the stage id (`Prod`) as the nested assembly's display name.
    const name = (
      artifact.properties?.displayName ??
      artifact.displayName ??
      id.replace(/^assembly-/, '')
    ).toLowerCase();
    return [{ name, dir: join(dir, directoryName) }];
  });
  const stages = nested.map((n) => n.name);
  if (nested.length === 0) {
    if (stage !== undefined)
      throw new AssemblyError(
        `--stage ${stage}: the cloud assembly at ${dir} has no stages; leave --stage out`,
      );
    return { assemblyDir: dir, stage: undefined, stages };
  }
  const wanted = (stage ?? DEFAULT_STAGE).toLowerCase();
  const found = nested.find((n) => n.name === wanted);
  if (!found)
    throw new AssemblyError(
      `no stage '${wanted}' in the cloud assembly at ${dir}: it has ${stages.join(', ')}; choose one with --stage`,
    );
  return { assemblyDir: found.dir, stage: found.name, stages };
}
