import { publishedParameters, stageNamed } from '@sm/infra';
import type { ReleaseTopology } from './plan';

/**
 * The deploy order and the consumers of each published parameter, from the one declaration of the
 * values stacks share through SSM (`publishedParameters` in libs/infra, proven against the
 * templates by the platform's tests). A service that reads a parameter at its deployment deploys
 * after the parameter's publisher and again when the value changes; one that reads it at run time
 * follows a change alone. The platform stack publishes too, but no pipeline deploys it.
 *
 * @param warn told about a changed parameter the declaration does not know (nobody is redeployed for it)
 */
export function releaseTopology(
  stageName: string,
  warn: (line: string) => void = () => undefined,
): ReleaseTopology {
  const stage = stageNamed(stageName).name;
  const published = publishedParameters(stage);
  const services: string[] = [];
  const mention = (service: string) => {
    if (service !== 'platform' && !services.includes(service)) services.push(service);
  };
  for (const parameter of published)
    [parameter.publisher, ...parameter.readAtDeploy, ...parameter.readAtRunTime].forEach(mention);
  return {
    services: deployOrder(
      services,
      published.flatMap((p) => p.readAtDeploy.map((consumer) => [p.publisher, consumer] as const)),
    ),
    consumersOf: (name) => {
      const parameter = published.find((p) => p.name === name);
      if (!parameter)
        warn(
          `${name} changed but is not declared in publishedParameters (libs/infra): nobody is deployed again for it`,
        );
      return parameter?.readAtDeploy ?? [];
    },
  };
}

/** Every publisher before the services that read its values at deployment; otherwise first-mentioned first. */
function deployOrder(
  services: readonly string[],
  edges: readonly (readonly [string, string])[],
): string[] {
  const order: string[] = [];
  const pending = [...services];
  while (pending.length > 0) {
    const next = pending.find(
      (service) =>
        !edges.some(([from, to]) => to === service && pending.includes(from) && from !== service),
    );
    if (!next)
      throw new Error(
        `the published parameters' consumers form a cycle among ${pending.join(', ')}`,
      );
    order.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return order;
}
