/**
 * Bundled on its own (`ssm-parameters.js` beside the functions, see project.json) and shipped only in
 * get-profile's asset: Powertools Parameters and the SSM client are some 200 KB that get-profile's
 * cold start would otherwise parse before it needs them; they are loaded on the first lookup.
 */
export { getParameter } from '@aws-lambda-powertools/parameters/ssm';
