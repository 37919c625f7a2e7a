import { randomUUID } from 'node:crypto';
import { buildProxyEvent } from '@sm/testing';
import { expectStatus, type ServiceScenario } from './types';

const owner = { userId: randomUUID(), username: 'bench_owner' };
const reader = { userId: randomUUID(), username: 'bench_reader' };

const putEvent = (i: number) =>
  buildProxyEvent({
    method: 'PUT',
    resource: '/loc/{userId}',
    pathParameters: { userId: owner.userId },
    principal: owner,
    body: { latitude: 52.52 + i / 10_000, longitude: 13.405, accuracy: 12.5 },
  });

export const locationScenario: ServiceScenario = {
  functions: {
    'put-location': {
      prepare: async () => putEvent,
      check: expectStatus(200),
    },
    'get-location': {
      prepare: async ({ invoke }) => {
        await invoke('put-location', putEvent(0));
        return () => buildProxyEvent({ method: 'GET', resource: '/loc/{userId}', pathParameters: { userId: owner.userId }, principal: reader });
      },
      check: expectStatus(200),
    },
    'list-location-history': {
      prepare: async ({ invoke }) => {
        // More history than one page, so every read is a full page with a cursor.
        for (let i = 0; i < 25; i += 1) await invoke('put-location', putEvent(i));
        return () =>
          buildProxyEvent({
            method: 'GET',
            resource: '/loc/{userId}/history',
            pathParameters: { userId: owner.userId },
            query: { limit: '20' },
            principal: owner,
          });
      },
      check: expectStatus(200),
    },
  },
};
