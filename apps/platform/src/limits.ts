import {
  applyLimitsOverride,
  LIMITS_PROFILES,
  stageNamed,
  type CfnTemplate,
  type LimitsProfileName,
  type StageName,
} from '@sm/infra';
import {
  authLimits,
  authSmallAccountLimits,
  locationLimits,
  locationSmallAccountLimits,
  profileLimits,
  profileSmallAccountLimits,
} from './services';

/** Template metadata key under which each service stack records the limits profile it was built with. */
export const LIMITS_PROFILE_METADATA = 'sm:limitsProfile';

/** Each service's limits, as one stage deploys them. */
export interface SystemLimits {
  readonly auth: typeof authLimits;
  readonly location: typeof locationLimits;
  readonly profile: typeof profileLimits;
}

/** The limit profiles: the services' own limits, and the small-account profile beside them in each limits.ts. */
export const LIMITS_BY_PROFILE: Record<LimitsProfileName, SystemLimits> = {
  default: { auth: authLimits, location: locationLimits, profile: profileLimits },
  'small-account': {
    auth: authSmallAccountLimits,
    location: locationSmallAccountLimits,
    profile: profileSmallAccountLimits,
  },
};

/**
 * The limits one stage deploys: its profile (context `stages.<name>.limitsProfile`, `default`
 * unless set), then the stage's explicit overrides from libs/infra `STAGES`. The CDK app builds
 * the stacks from these; the capacity check and the preflight check the same values.
 */
export function limitsFor(stage: StageName, profile: LimitsProfileName): SystemLimits {
  const base = LIMITS_BY_PROFILE[profile];
  const overrides = stageNamed(stage).overrides.limits ?? {};
  return {
    auth: applyLimitsOverride(base.auth, overrides['auth'], stage),
    location: applyLimitsOverride(base.location, overrides['location'], stage),
    profile: applyLimitsOverride(base.profile, overrides['profile'], stage),
  };
}

/**
 * The limits profile recorded in a stage's synthesized templates (see {@link LIMITS_PROFILE_METADATA});
 * `default` for templates without the record. Every service stack of a stage must agree.
 */
export function templatesLimitsProfile(
  templates: readonly { stackName: string; template: CfnTemplate }[],
): LimitsProfileName {
  const recorded = new Set(
    templates
      .map(
        (t) =>
          (t.template as { Metadata?: Record<string, unknown> }).Metadata?.[
            LIMITS_PROFILE_METADATA
          ],
      )
      .filter((value): value is string => typeof value === 'string'),
  );
  if (recorded.size > 1)
    throw new Error(
      `the stage's templates were built with different limits profiles (${[...recorded].join(', ')}); synthesize again`,
    );
  const [profile = 'default'] = recorded;
  if (!(LIMITS_PROFILES as readonly string[]).includes(profile))
    throw new Error(`unknown limits profile '${profile}' in the templates`);
  return profile as LimitsProfileName;
}
