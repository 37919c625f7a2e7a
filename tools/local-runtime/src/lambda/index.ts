export { createAliasRouter, type AliasRouter, type AliasRouterOptions, type AliasRouting, type RoutedInvocation } from './alias-router';
export { createLambdaService } from './lambda-service';
export { defaultLabel } from './function-config';
export type {
  FunctionSpec,
  FunctionStats,
  InvokeOptions,
  InvokeResult,
  LambdaService,
  LambdaServiceOptions,
} from './types';
