export { captureOutput, type CapturedOutput } from './capture-output';
export { createTables, type CreateTablesOptions } from './create-tables';
export { buildLambdaContext, type LambdaContextInput } from './lambda-context';
export { LOCAL_CREDENTIALS, LOCAL_REGION, useLocalAwsEnv } from './local-aws';
export { buildProxyEvent, type AuthorizerPrincipal, type ProxyEventInput } from './proxy-event';
export { runProcess, type ProcessRun, type RunProcessOptions } from './run-process';
export {
  startRecordingProxy,
  type RecordingProxy,
  type RecordingProxyOptions,
} from './recording-proxy';
export { startDynalite, type Dynalite } from './start-dynalite';
export {
  buildTokenAuthorizerEvent,
  type TokenAuthorizerEventInput,
} from './token-authorizer-event';
