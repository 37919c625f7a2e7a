/** The profile service's deployable parts, for the CDK app (apps/platform): its stack and its limits. */
export { ProfileStack, type ProfileStackProps } from './infra/profile-stack';
export { profileLimits, profileSmallAccountLimits } from './limits';
