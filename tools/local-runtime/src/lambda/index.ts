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
