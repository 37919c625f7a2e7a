export { startSsmStandIn } from './ssm-stand-in';
export type { ParameterSpec, SsmStandIn } from './types';
