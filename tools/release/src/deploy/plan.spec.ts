import { changedParameters, DeployPlan, type ReleaseTopology } from './plan';

const topology: ReleaseTopology = {
  services: ['auth', 'location', 'profile'],
  consumersOf: (name) =>
    ({
      '/sm/staging/auth/authorizer-function-arn': ['location', 'profile'],
      '/sm/staging/location/api-url': ['profile'],
    })[name] ?? [],
};

/** Runs a plan to the end: `changes[service]` is what that service's deploy changed. */
function drain(initial: string[], changes: Record<string, string[]> = {}) {
  const plan = new DeployPlan(topology, initial);
  const added: string[] = [];
  for (let service = plan.next(); service; service = plan.next()) {
    for (const a of plan.done(service, changes[service] ?? []))
      added.push(`${a.parameter} → ${a.consumers.join(',')}`);
  }
  return { deployed: plan.deployed, added };
}

describe('DeployPlan', () => {
  it.each([
    { given: ['profile', 'auth', 'location'], want: ['auth', 'location', 'profile'] },
    { given: ['profile', 'location'], want: ['location', 'profile'] },
    { given: ['profile'], want: ['profile'] },
    { given: [], want: [] },
  ])('deploys $given in dependency order: $want', ({ given, want }) => {
    expect(drain(given).deployed).toEqual(want);
  });

  it('deploys the consumers of a parameter the deploy changed, after their producer', () => {
    const { deployed, added } = drain(['location'], { location: ['/sm/staging/location/api-url'] });
    expect(deployed).toEqual(['location', 'profile']);
    expect(added).toEqual(['/sm/staging/location/api-url → profile']);
  });

  it('adds each consumer once when several changed parameters name it', () => {
    const { deployed } = drain(['auth'], {
      auth: ['/sm/staging/auth/authorizer-function-arn'],
      location: ['/sm/staging/location/api-url'],
    });
    expect(deployed).toEqual(['auth', 'location', 'profile']);
  });

  it('does not queue a consumer that is already waiting, and says nothing about it', () => {
    const { deployed, added } = drain(['location', 'profile'], {
      location: ['/sm/staging/location/api-url'],
    });
    expect(deployed).toEqual(['location', 'profile']);
    expect(added).toEqual([]);
  });

  it('deploys nothing more for a changed parameter nobody reads at deployment', () => {
    expect(drain(['auth'], { auth: ['/sm/staging/auth/something-else'] }).deployed).toEqual([
      'auth',
    ]);
  });

  it('refuses a service the topology does not know, naming the known ones', () => {
    expect(() => new DeployPlan(topology, ['billing'])).toThrow(
      'billing is not a deployable service of this system (auth, location, profile)',
    );
  });

  it('refuses to finish a service that was not waiting', () => {
    const plan = new DeployPlan(topology, ['auth']);
    expect(() => plan.done('profile', [])).toThrow('profile was not waiting to deploy');
  });
});

describe('changedParameters', () => {
  it.each([
    { before: { a: '1' }, after: { a: '1' }, want: [] },
    { before: { a: '1' }, after: { a: '2' }, want: ['a'] },
    { before: {}, after: { a: '1' }, want: ['a'] },
    { before: { a: '1', b: '2' }, after: { b: '2' }, want: ['a'] },
    { before: { b: '1', a: '1' }, after: { b: '2', a: '2' }, want: ['a', 'b'] },
  ])('$before → $after changed $want', ({ before, after, want }) => {
    expect(
      changedParameters(new Map(Object.entries(before)), new Map(Object.entries(after))),
    ).toEqual(want);
  });
});
