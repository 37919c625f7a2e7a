/** The location service's deployable parts, for the CDK app (apps/platform): its stack and its limits. */
export { LocationStack, type LocationStackProps } from './infra/location-stack';
export { locationLimits, locationSmallAccountLimits } from './limits';
