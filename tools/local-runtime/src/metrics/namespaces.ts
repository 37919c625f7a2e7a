/** Namespaces the local runtime publishes under, as AWS does. */
export const API_GATEWAY = 'AWS/ApiGateway';
export const LAMBDA = 'AWS/Lambda';
export const DYNAMODB = 'AWS/DynamoDB';
/**
 * What AWS does not publish as a metric but a local report needs (cold starts, billed duration
 * including INIT, log bytes): kept apart under its own namespace so nothing mistakes it for AWS's.
 */
export const LOCAL = 'LocalRuntime';
