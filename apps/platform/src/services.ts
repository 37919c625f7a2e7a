/**
 * The one place that imports the service applications: the CDK app composes their stacks, and the
 * capacity check reads their limits. Nx forbids importing applications by default, which keeps
 * services from importing each other; the platform app is the deliberate exception (see the note
 * in eslint.config.mjs: "only the platform app composes service stacks").
 */
// eslint-disable-next-line @nx/enforce-module-boundaries -- the platform app composes the service stacks
export { AuthStack, authLimits, authSmallAccountLimits, type AuthStackProps } from '@sm/auth';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the platform app composes the service stacks
export {
  LocationStack,
  locationLimits,
  locationSmallAccountLimits,
  type LocationStackProps,
} from '@sm/location';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the platform app composes the service stacks
export {
  ProfileStack,
  profileLimits,
  profileSmallAccountLimits,
  type ProfileStackProps,
} from '@sm/profile';
