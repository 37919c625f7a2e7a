import { ForbiddenError, UnauthorizedError } from '@sm/errors';
import { proxyEvent } from '../test/events';
import { principalFromEvent, requireOwner, requirePrincipal } from './principal';

const alice = { userId: 'u-alice', username: 'alice' };

describe('principalFromEvent', () => {
  it('reads the user id and username the TOKEN authorizer put in the request context', () => {
    // Prepare
    const event = proxyEvent({ method: 'GET', resource: '/widgets', principal: alice });

    // Act + Assess
    expect(principalFromEvent(event)).toEqual(alice);
  });

  it('falls back to principalId when the context carries no userId', () => {
    // Prepare
    const event = proxyEvent({ method: 'GET', resource: '/widgets' });
    event.requestContext.authorizer = { principalId: 'u-bob' };

    // Act + Assess
    expect(principalFromEvent(event)).toEqual({ userId: 'u-bob', username: '' });
  });

  it('returns null when no authorizer ran or it named nobody', () => {
    // Prepare
    const none = proxyEvent({ method: 'GET', resource: '/widgets' });
    const empty = proxyEvent({ method: 'GET', resource: '/widgets' });
    empty.requestContext.authorizer = { principalId: '' };

    // Act + Assess
    expect(principalFromEvent(none)).toBeNull();
    expect(principalFromEvent(empty)).toBeNull();
  });
});

describe('requirePrincipal and requireOwner', () => {
  it('return the caller when present and the owner', () => {
    expect(requirePrincipal(alice)).toBe(alice);
    expect(requireOwner(alice, 'u-alice')).toBe(alice);
  });

  it('refuse a missing caller with 401', () => {
    expect(() => requirePrincipal(null)).toThrow(UnauthorizedError);
    expect(() => requireOwner(null, 'u-alice')).toThrow(UnauthorizedError);
  });

  it('refuse someone else with 403', () => {
    expect(() => requireOwner(alice, 'u-bob')).toThrow(ForbiddenError);
  });
});
