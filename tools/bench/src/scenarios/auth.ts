import { buildProxyEvent, buildTokenAuthorizerEvent } from '@sm/testing';
import { bodyOf, expectStatus, type ServiceScenario } from './types';

const PASSWORD = 'correct horse battery staple';
// Every sign-up and sign-in runs one scrypt hash (N=2^17): about half a second here, by design.
const SCRYPT_ITERATIONS = 20;

const createUserEvent = (username: string) =>
  buildProxyEvent({ method: 'POST', resource: '/users', body: { username, password: PASSWORD, displayName: 'Bench' } });
const createTokenEvent = (username: string) =>
  buildProxyEvent({ method: 'POST', resource: '/tokens', body: { username, password: PASSWORD } });

export const authScenario: ServiceScenario = {
  functions: {
    'create-user': {
      iterations: SCRYPT_ITERATIONS,
      prepare: async () => (i) => createUserEvent(`bench_user_${i}`),
      check: expectStatus(201),
    },
    'create-token': {
      iterations: SCRYPT_ITERATIONS,
      prepare: async ({ invoke }) => {
        await invoke('create-user', createUserEvent('bench_signin'));
        return () => createTokenEvent('bench_signin');
      },
      check: expectStatus(201),
    },
    'revoke-token': {
      iterations: SCRYPT_ITERATIONS,
      prepare: async ({ invoke }, iterations) => {
        const { userId } = bodyOf<{ userId: string }>(await invoke('create-user', createUserEvent('bench_signout')));
        const tokens: string[] = [];
        for (let i = 0; i <= iterations; i += 1) {
          tokens.push(bodyOf<{ token: string }>(await invoke('create-token', createTokenEvent('bench_signout'))).token);
        }
        return (i) =>
          buildProxyEvent({
            method: 'DELETE',
            resource: '/tokens/current',
            headers: { Authorization: `Bearer ${tokens[i]}` },
            principal: { userId, username: 'bench_signout' },
          });
      },
      check: expectStatus(204),
    },
    authorize: {
      prepare: async ({ invoke }) => {
        await invoke('create-user', createUserEvent('bench_authorize'));
        const { token } = bodyOf<{ token: string }>(await invoke('create-token', createTokenEvent('bench_authorize')));
        return () => buildTokenAuthorizerEvent({ token });
      },
      check: (result) =>
        (result as { policyDocument?: { Statement?: { Effect?: string }[] } } | undefined)?.policyDocument?.Statement?.[0]?.Effect === 'Allow'
          ? undefined
          : `expected an Allow policy, got ${JSON.stringify(result)}`,
    },
  },
};
