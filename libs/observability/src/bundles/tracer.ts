/**
 * Entry of the tracer bundle, `dist/libs/observability/tracer.js` (`npx nx run observability:build`):
 * the Powertools Tracer with the X-Ray SDK it loads. Each service's build copies it beside its
 * functions' bundles, ServiceFunction ships it in every function's asset, and `createObservability`
 * loads it only when tracing is on. Not part of this library's API.
 */
export { Tracer } from '@aws-lambda-powertools/tracer';
