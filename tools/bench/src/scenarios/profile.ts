import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildProxyEvent } from '@sm/testing';
import { expectStatus, type ServiceScenario } from './types';

const owner = { userId: randomUUID(), username: 'bench_owner' };
const reader = { userId: randomUUID(), username: 'bench_reader' };

const putEvent = () =>
  buildProxyEvent({
    method: 'PUT',
    resource: '/profile/{userId}',
    pathParameters: { userId: owner.userId },
    principal: owner,
    body: { displayName: 'Bench Owner', bio: 'Measured, not judged.' },
  });

/**
 * A stand-in for the location API that answers every `GET /loc/{userId}` at once with a location
 * the location contract allows, so get-profile is measured doing its full work (profile read plus
 * location call) without timing the location service as well.
 */
const startLocationStub = async () => {
  const server = createServer((request, response) => {
    const userId = /^\/loc\/([^/?]+)/.exec(request.url ?? '')?.[1];
    if (request.method !== 'GET' || userId === undefined) {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({ type: 'urn:problem-type:route-not-found', title: 'Not Found', status: 404 }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ userId, latitude: 52.520008, longitude: 13.404954, accuracy: 12.5, updatedAt: new Date().toISOString() }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: { LOCATION_API_URL: `http://127.0.0.1:${port}` },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const profileScenario: ServiceScenario = {
  importEnv: { LOCATION_API_URL: 'http://127.0.0.1:9' },
  setUp: startLocationStub,
  functions: {
    'put-profile': {
      prepare: async () => putEvent,
      check: expectStatus(200, 201),
    },
    'get-profile': {
      prepare: async ({ invoke }) => {
        await invoke('put-profile', putEvent());
        return () => buildProxyEvent({ method: 'GET', resource: '/profile/{userId}', pathParameters: { userId: owner.userId }, principal: reader });
      },
      check: expectStatus(200),
    },
  },
};
