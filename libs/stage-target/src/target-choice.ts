import { InfraConfigError, stageNamed } from '@sm/infra';
import { normalizeBaseUrl } from './base-url';
import { StageTargetError } from './errors';

/** Service name → base URL (stage path included, no trailing slash). */
export type ServiceUrls = ReadonlyMap<string, string>;

/**
 * What a tool (load tests, fuzzing) runs against. A deployment is three APIs with three base URLs, so
 * a target is always a set of base URLs plus the stage whose templates give the limits:
 * - `local`: start the local runtime from that stage's assembly and use its per-API base URLs;
 * - `deployed`: a deployed stage, its URLs read from its stacks' `ApiUrl` outputs (or SSM);
 * - `explicit`: base URLs given on the command line (`--api auth=URL …`), limits of `stage`.
 */
export type TargetChoice =
  | { kind: 'local'; stage: string }
  | { kind: 'deployed'; stage: string; region: string | undefined }
  | { kind: 'explicit'; stage: string; apis: ServiceUrls };

/** The command-line flags every tool with a target takes. */
export interface TargetFlags {
  /** `--stage <name>`: a deployed stage (or, with `--api`, the stage those URLs belong to). */
  stage?: string;
  /** `--api <service>=<base URL>`, repeatable. */
  api?: string[];
  /** `--region`: where the deployed stage's stacks are (over what its templates say). */
  region?: string;
  /** `--url`: the old single-origin flag, refused with directions. */
  url?: string;
}

/** The `parseArgs` option definitions of {@link TargetFlags}, so every tool spells them alike. */
export const TARGET_OPTIONS = {
  stage: { type: 'string' },
  api: { type: 'string', multiple: true },
  region: { type: 'string' },
  url: { type: 'string' },
} as const;

/** Usage lines for the flags, for a tool's `--help`. */
export const TARGET_USAGE = `  --stage NAME         a deployed stage: its three APIs' base URLs from its CloudFormation stacks'
                       ApiUrl outputs (SSM /sm/<stage>/<service>/api-url as fallback), with the
                       caller's AWS credentials; limits from that stage's templates in cdk.out
  --api SERVICE=URL    a base URL given directly (stage path included), once per service:
                       --api auth=URL --api location=URL --api profile=URL (with --stage: its limits)
  --region REGION      the deployed stage's region (default: the stage's own, from its templates'
                       stages.<name>.region context, else the AWS SDK's, e.g. AWS_REGION)
  (neither)            start the local runtime and use each API's own base URL on it`;

/**
 * Reads the target flags. `--url` is refused: one origin cannot address a deployment, whose three
 * APIs each have a base URL of their own.
 */
export function chooseTarget(flags: TargetFlags, defaults: { stage: string }): TargetChoice {
  if (flags.url !== undefined) {
    throw new StageTargetError(
      `--url is gone: a deployed stage is three APIs with three base URLs. Pass --stage <name> to read them from the stage's ` +
        `CloudFormation outputs, or --api auth=<url> --api location=<url> --api profile=<url> (each base URL with its stage path, e.g. ` +
        `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>).`,
    );
  }
  const stage = knownStage(flags.stage ?? defaults.stage);
  if (flags.api && flags.api.length > 0)
    return { kind: 'explicit', stage, apis: parseApiFlags(flags.api) };
  if (flags.region !== undefined && flags.stage === undefined)
    throw new StageTargetError(
      '--region only applies to a deployed stage: pass --stage <name> too',
    );
  if (flags.stage !== undefined) return { kind: 'deployed', stage, region: flags.region };
  return { kind: 'local', stage };
}

/** The stage's name if it is one of the stages (`libs/infra/src/stages.ts`). */
function knownStage(name: string): string {
  try {
    return stageNamed(name).name;
  } catch (error) {
    if (error instanceof InfraConfigError)
      throw new StageTargetError(`--stage: ${error.message}`, { cause: error });
    throw error;
  }
}

/** `['auth=https://…/staging', …]` → service → base URL; each service once. */
export function parseApiFlags(values: readonly string[]): ServiceUrls {
  const apis = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    const service = at < 0 ? '' : value.slice(0, at).trim();
    if (!/^[a-z][a-z0-9-]*$/.test(service)) {
      throw new StageTargetError(
        `--api takes <service>=<base URL>, e.g. --api location=https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging; got '${value}'`,
      );
    }
    if (apis.has(service)) throw new StageTargetError(`--api ${service} is given twice`);
    apis.set(service, normalizeBaseUrl(value.slice(at + 1), `--api ${service}`));
  }
  return apis;
}

/**
 * Checks that the URLs cover exactly the services the stage's assembly has: a missing one would send
 * its requests nowhere, an unknown one is a typo.
 */
export function requireServices(
  apis: ServiceUrls,
  services: readonly string[],
  source: string,
): void {
  const missing = services.filter((service) => !apis.has(service));
  const unknown = [...apis.keys()].filter((service) => !services.includes(service));
  const problems = [
    ...(missing.length > 0 ? [`no base URL for ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`no service named ${unknown.join(', ')} in the assembly`] : []),
  ];
  if (problems.length > 0)
    throw new StageTargetError(
      `${source}: ${problems.join('; ')} (services: ${services.join(', ')})`,
    );
}
