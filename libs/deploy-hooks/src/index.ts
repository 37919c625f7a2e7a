export {
  proxyEvent,
  SMOKE_PRINCIPAL,
  SMOKE_REQUEST_ID,
  SMOKE_TOKEN,
  type ProxyEventInput,
} from './proxy-event';
export {
  checkSmokeAnswer,
  eventForRun,
  runSmokeRequests,
  type InvokeAnswer,
  type SmokeResult,
} from './smoke-check';
export {
  createSmokeHook,
  readSmokeHookConfig,
  SMOKE_HOOK_BUNDLE_DIR,
  SMOKE_HOOK_BUNDLE_FILE,
  SMOKE_HOOK_ENVIRONMENT,
  type LifecycleHookEvent,
  type SmokeHookPorts,
} from './smoke-hook';
export {
  authorizerSmokeRequest,
  operationSmokeRequest,
  SmokeRequestError,
  type SmokeExample,
  type SmokeExpectation,
  type SmokeOperation,
  type SmokeRequest,
} from './smoke-request';
