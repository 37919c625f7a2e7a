/**
 * Which services a stage deployment deploys, and in which order: the affected ones, in dependency
 * order, plus the consumers of every published SSM parameter whose value a deploy changed.
 * Pure: the deploy step (./cli.ts) feeds it what nx and SSM say.
 */

/** What the deploy step must know about the system. */
export interface ReleaseTopology {
  /** Every service with a deploy target, each after the services whose parameters it reads. */
  readonly services: readonly string[];
  /**
   * The services that must deploy again when this published parameter's value changes (they
   * resolve it at their deployment). Empty for a parameter nobody reads at deployment.
   */
  consumersOf(parameterName: string): readonly string[];
}

/** Published parameters of a stage: name → value. */
export type ParameterValues = ReadonlyMap<string, string>;

/** Names of the parameters added, removed or changed between two snapshots, sorted. */
export function changedParameters(before: ParameterValues, after: ParameterValues): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/** Consumers a deploy added to the plan, and the parameter that made them necessary. */
export interface AddedConsumers {
  readonly parameter: string;
  readonly consumers: readonly string[];
}

export class DeployPlan {
  private readonly pending = new Set<string>();
  private readonly finished: string[] = [];

  /**
   * @param topology the services and the consumers of each parameter
   * @param initial the services to deploy (affected ones, or all); order does not matter
   */
  constructor(
    private readonly topology: ReleaseTopology,
    initial: Iterable<string>,
  ) {
    for (const service of initial) this.add(service);
  }

  /** The next service to deploy: the first pending one in dependency order. */
  next(): string | undefined {
    return this.topology.services.find((service) => this.pending.has(service));
  }

  /** Services still to deploy, in order. */
  get remaining(): string[] {
    return this.topology.services.filter((service) => this.pending.has(service));
  }

  /** Services deployed so far, in the order they deployed (a service can appear twice). */
  get deployed(): readonly string[] {
    return this.finished;
  }

  /**
   * Records that `service` deployed and which published parameters its deploy changed; queues the
   * consumers of each changed parameter (again, if they already deployed in this run).
   */
  done(service: string, changed: readonly string[]): AddedConsumers[] {
    if (!this.pending.delete(service)) throw new Error(`${service} was not waiting to deploy`);
    this.finished.push(service);
    const added: AddedConsumers[] = [];
    for (const parameter of changed) {
      const consumers = this.topology
        .consumersOf(parameter)
        .filter((consumer) => !this.pending.has(consumer));
      for (const consumer of consumers) this.add(consumer);
      if (consumers.length > 0) added.push({ parameter, consumers });
    }
    return added;
  }

  private add(service: string): void {
    if (!this.topology.services.includes(service)) {
      throw new Error(
        `${service} is not a deployable service of this system (${this.topology.services.join(', ')})`,
      );
    }
    this.pending.add(service);
  }
}
