import { StageTargetError } from './errors';
import { chooseTarget, parseApiFlags, requireServices } from './target-choice';

const defaults = { stage: 'prod' };
const staging = (service: string) =>
  `https://${service.padEnd(10, '0')}.execute-api.eu-west-1.amazonaws.com/staging`;

describe('chooseTarget', () => {
  it('starts the local runtime with the default stage when neither --stage nor --api is given', () => {
    expect(chooseTarget({}, defaults)).toEqual({ kind: 'local', stage: 'prod' });
  });

  it('reads a deployed stage with --stage, with the region if given', () => {
    expect(chooseTarget({ stage: 'staging' }, defaults)).toEqual({
      kind: 'deployed',
      stage: 'staging',
      region: undefined,
    });
    expect(chooseTarget({ stage: 'staging', region: 'eu-west-1' }, defaults)).toEqual({
      kind: 'deployed',
      stage: 'staging',
      region: 'eu-west-1',
    });
  });

  it('takes --api URLs as given, with the limits of --stage or of the default stage', () => {
    const api = [
      'auth=' + staging('auth'),
      `location=${staging('location')}/`,
      'profile=' + staging('profile'),
    ];
    const explicit = chooseTarget({ stage: 'staging', api }, defaults);
    expect(explicit).toEqual({
      kind: 'explicit',
      stage: 'staging',
      apis: new Map([
        ['auth', staging('auth')],
        ['location', staging('location')],
        ['profile', staging('profile')],
      ]),
    });
    expect(chooseTarget({ api }, defaults)).toMatchObject({ kind: 'explicit', stage: 'prod' });
  });

  it('refuses --url and says what to pass instead', () => {
    expect(() =>
      chooseTarget({ url: 'https://x.execute-api.eu-west-1.amazonaws.com/prod/' }, defaults),
    ).toThrow(
      /--url is gone: a deployed stage is three APIs with three base URLs\. Pass --stage <name> .* or --api auth=<url> --api location=<url> --api profile=<url>/,
    );
  });

  it('refuses a stage that is not in the one list of stages, and a region without a deployed stage', () => {
    expect(() => chooseTarget({ stage: 'Staging' }, defaults)).toThrow(
      "--stage: unknown stage 'Staging': the stages are staging, prod (libs/infra/src/stages.ts)",
    );
    expect(() => chooseTarget({ region: 'eu-west-1' }, defaults)).toThrow(
      '--region only applies to a deployed stage',
    );
  });
});

describe('parseApiFlags', () => {
  it.each([
    [
      'https://x.example.com/prod',
      "--api takes <service>=<base URL>, e.g. --api location=https://abc123defg.execute-api.eu-west-1.amazonaws.com/staging; got 'https://x.example.com/prod'",
    ],
    ['=https://x.example.com/prod', '--api takes <service>=<base URL>'],
    ['auth=not a url', "--api auth: not an absolute URL: 'not a url'"],
  ])('refuses %s', (given, message) => {
    expect(() => parseApiFlags([given])).toThrow(message);
  });

  it('refuses a service given twice', () => {
    expect(() => parseApiFlags([`auth=${staging('auth')}`, `auth=${staging('auth')}`])).toThrow(
      new StageTargetError('--api auth is given twice'),
    );
  });
});

describe('requireServices', () => {
  const services = ['auth', 'location', 'profile'];

  it('passes when every service of the assembly has a URL and no other is named', () => {
    expect(() =>
      requireServices(new Map(services.map((s) => [s, staging(s)])), services, '--api'),
    ).not.toThrow();
  });

  it('names the missing and the unknown services at once', () => {
    const apis = new Map([
      ['auth', staging('auth')],
      ['locaton', staging('location')],
    ]);
    expect(() => requireServices(apis, services, '--api')).toThrow(
      new StageTargetError(
        '--api: no base URL for location, profile; no service named locaton in the assembly (services: auth, location, profile)',
      ),
    );
  });
});
