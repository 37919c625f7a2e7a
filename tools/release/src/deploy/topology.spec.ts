import { releaseTopology } from './topology';

describe('releaseTopology (from publishedParameters in libs/infra)', () => {
  it.each(['staging', 'prod'])(
    'deploys %s’s services publishers first: auth, location, profile',
    (stage) => {
      expect(releaseTopology(stage).services).toEqual(['auth', 'location', 'profile']);
    },
  );

  it('redeploys the services that resolve a changed value at their deployment, and only those', () => {
    const topology = releaseTopology('staging');
    expect(topology.consumersOf('/sm/staging/auth/authorizer-function-arn')).toEqual([
      'location',
      'profile',
    ]);
    expect(topology.consumersOf('/sm/staging/platform/alert-topic-arn')).toEqual([
      'auth',
      'location',
      'profile',
    ]);
    // Profile reads location's URL at run time: a new URL needs no profile deploy.
    expect(topology.consumersOf('/sm/staging/location/api-url')).toEqual([]);
    expect(topology.consumersOf('/sm/staging/auth/api-url')).toEqual([]);
  });

  it('does not mix stages: prod’s names are unknown to staging’s topology, with a warning', () => {
    const warnings: string[] = [];
    expect(
      releaseTopology('staging', (line) => warnings.push(line)).consumersOf(
        '/sm/prod/auth/authorizer-function-arn',
      ),
    ).toEqual([]);
    expect(warnings).toEqual([
      '/sm/prod/auth/authorizer-function-arn changed but is not declared in publishedParameters (libs/infra): nobody is deployed again for it',
    ]);
  });

  it('refuses a stage that is not in the stage list', () => {
    expect(() => releaseTopology('qa')).toThrow("unknown stage 'qa'");
  });
});
