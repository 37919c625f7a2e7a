import type { ReleaseTopology } from './plan';

/**
 * The system's deploy order and the consumers of each published parameter.
 * Interim: replaced by the one declaration in @sm/infra once it lands (deploy-path).
 */
export function releaseTopology(stage: string): ReleaseTopology {
  const consumers: Record<string, readonly string[]> = {
    [`/sm/${stage}/auth/authorizer-function-arn`]: ['location', 'profile'],
    [`/sm/${stage}/location/api-url`]: ['profile'],
  };
  return {
    services: ['auth', 'location', 'profile'],
    consumersOf: (name) => consumers[name] ?? [],
  };
}
