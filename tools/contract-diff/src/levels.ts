/**
 * This repository's compatibility policy where it differs from oasdiff's defaults, as oasdiff's
 * own `--severity-levels` overrides (check id → level). Everything not listed keeps oasdiff's
 * level. Each entry says why; the README's "What counts as breaking" renders from this table.
 *
 * The rule behind all of them: a breaking change needs a major `info.version` bump, and the
 * clients that count are this repository's generated clients (openapi-fetch, typed from the
 * contract; the per-operation validators) as much as hand-written ones.
 */
export interface LevelOverride {
  readonly id: string;
  readonly level: 'err' | 'warn' | 'info' | 'none';
  readonly why: string;
}

export const LEVEL_OVERRIDES: readonly LevelOverride[] = [
  {
    id: 'response-optional-property-removed',
    level: 'err',
    why: 'clients read optional fields too (profile reads `accuracy`); one that disappears is data they lose',
  },
  {
    id: 'response-non-success-status-removed',
    level: 'err',
    why: 'a client that handles that status (profile treats 404 as "no location yet") now sees another one',
  },
  {
    id: 'response-success-status-added',
    level: 'err',
    why: "the generated client's `data` type becomes a union of both success bodies",
  },
  {
    id: 'response-media-type-name-specialized',
    level: 'err',
    why: 'a client that accepts or checks `application/json` no longer gets it',
  },
  {
    id: 'api-operation-id-removed',
    level: 'err',
    why: 'generated code keys on it: `<operationId>Validators` and the operation manifest are renamed',
  },
  {
    id: 'api-removed-with-deprecation',
    level: 'err',
    why: 'deprecating first does not remove the break: removal still needs the major bump',
  },
  {
    id: 'api-path-removed-with-deprecation',
    level: 'err',
    why: 'deprecating first does not remove the break: removal still needs the major bump',
  },
  {
    id: 'request-parameter-removed-with-deprecation',
    level: 'err',
    why: 'deprecating first does not remove the break: removal still needs the major bump',
  },
  {
    id: 'request-property-removed-with-deprecation',
    level: 'err',
    why: 'request bodies are closed (`additionalProperties: false`): a client still sending it gets 400',
  },
  {
    id: 'response-required-property-removed-with-deprecation',
    level: 'err',
    why: 'deprecating first does not remove the break: removal still needs the major bump',
  },
];

/** The overrides in oasdiff's `--severity-levels` file format: `<id> <level>` per line, nothing else. */
export function severityLevelsFile(overrides: readonly LevelOverride[] = LEVEL_OVERRIDES): string {
  return `${overrides.map((o) => `${o.id} ${o.level}`).join('\n')}\n`;
}
