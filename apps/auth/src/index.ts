/** The auth service's deployable parts, for the CDK app (apps/platform): its stack and its limits. */
export { AuthStack, type AuthStackProps } from './infra/auth-stack';
export { authLimits, authSmallAccountLimits } from './limits';
