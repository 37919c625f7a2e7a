import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validators, type components, type ValidateFunction } from '@sm/contract-location';

type Location = components['schemas']['Location'];

/** What the fake answers for one user's `GET /loc/{userId}`. */
export type LocationAnswer =
  /** 200 with this `Location` (checked against location's contract when set). */
  | { readonly kind: 'location'; readonly location: Location }
  /** 404 with the contract's not-found problem: the user never reported a location. */
  | { readonly kind: 'no-location' }
  /** Any status and body as given, for faults the contract does not describe. */
  | {
      readonly kind: 'raw';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
    }
  /** Headers and the start of a body at once, then silence: a stream that stalls mid-body. */
  | { readonly kind: 'stall-body' }
  /** `then`, after `delayMs`. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly then: LocationAnswer };

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

/** A local stand-in for the deployed location API, speaking its contract over real HTTP. */
export interface FakeLocationApi {
  /** `http://127.0.0.1:<port>/prod`, a stage path as API Gateway has one. */
  readonly baseUrl: string;
  readonly requests: ReceivedRequest[];
  answer(userId: string, answer: LocationAnswer): void;
  /** Forgets answers and received requests; unknown users get `no-location`. */
  reset(): void;
  stop(): Promise<void>;
}

const STAGE = '/prod';
const ROUTE = /^\/prod\/loc\/([^/]+)$/;

const problem = (
  slug: string,
  title: string,
  status: number,
  detail: string,
  instance: string,
) => ({
  type: `urn:problem-type:${slug}`,
  title,
  status,
  detail,
  instance,
});

const assertConforms = (name: string, validate: ValidateFunction, body: unknown) => {
  if (!validate(body)) {
    throw new Error(
      `fake location API: ${name} violates location's contract: ${JSON.stringify(validate.errors)}`,
    );
  }
};

/**
 * Starts the fake on 127.0.0.1 with an OS-chosen port. Like the real API behind its authorizer it
 * refuses requests without a bearer token (401) and answers API Gateway's route-not-found for any
 * other path, each as the contract's problem+json.
 */
export const startFakeLocationApi = async (): Promise<FakeLocationApi> => {
  const answers = new Map<string, LocationAnswer>();
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, contentType: string, body: string) => {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    contentType = 'application/json',
  ) => send(res, status, contentType, JSON.stringify(body));

  const respond = (res: ServerResponse, path: string, answer: LocationAnswer): void => {
    switch (answer.kind) {
      case 'location':
        return sendJson(res, 200, answer.location);
      case 'no-location': {
        const body = problem(
          'not-found',
          'Not Found',
          404,
          'No location has been recorded for this user.',
          path,
        );
        assertConforms('the 404 problem', validators.getLocation.responses['404'], body);
        return sendJson(res, 404, body, 'application/problem+json');
      }
      case 'raw':
        return send(res, answer.status, answer.contentType, answer.body);
      case 'stall-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 400 });
        res.write('{"userId":');
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond(res, path, answer.then);
        }, answer.delayMs);
        timers.add(timer);
        return;
      }
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path, authorization });
    const route = ROUTE.exec(path);
    if (req.method !== 'GET' || route === null) {
      const body = problem('route-not-found', 'Not Found', 404, 'No such route.', path);
      return sendJson(res, 404, body, 'application/problem+json');
    }
    if (!authorization?.startsWith('Bearer ')) {
      const body = problem(
        'unauthorized',
        'Unauthorized',
        401,
        'A valid bearer token is required.',
        path,
      );
      return sendJson(res, 401, body, 'application/problem+json');
    }
    const userId = decodeURIComponent(route[1] ?? '');
    respond(res, path, answers.get(userId) ?? { kind: 'no-location' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${STAGE}`,
    requests,
    answer: (userId, answer) => {
      let inner = answer;
      while (inner.kind === 'slow') inner = inner.then;
      if (inner.kind === 'location')
        assertConforms('the location', validators.getLocation.responses['200'], inner.location);
      answers.set(userId, answer);
    },
    reset: () => {
      answers.clear();
      requests.length = 0;
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/**
 * A base URL on 127.0.0.1 where nothing listens: a port the OS gave us and we closed again, so a
 * connection is refused (the location service is down).
 */
export const closedPortBaseUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${STAGE}`;
};
