/**
 * Compile-time tests: the `typecheck` target (tsc) fails if a `@ts-expect-error` line stops being
 * an error, i.e. if the adapter starts accepting a response or request use the contract forbids.
 * The runtime assertions only prove the accepted handlers are real functions.
 */
import { operationManifest, validators, type operations } from '../test/fixture/contract';
import { createApiHandler } from './create-api-handler';
import type { ApiHandlers, ApiResponse, OperationHandler } from './operation-types';

type Expect<T extends true> = T;
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const widget = { widgetId: 'w-1', name: 'gear', size: 1 };

describe('handler types derived from the contract', () => {
  it('accepts every declared success response of an operation', () => {
    const put: OperationHandler<operations['putWidget']> = ({ body }) =>
      body.size > 1
        ? { status: 200, body: widget }
        : { status: 201, body: { ...widget, name: body.name } };
    const get: OperationHandler<operations['getWidget']> = () => ({
      status: 200,
      body: widget,
      headers: { ETag: '"1"' },
    });
    const remove: OperationHandler<operations['deleteWidget']> = () => ({ status: 204 });

    expect([put, get, remove].every((handler) => typeof handler === 'function')).toBe(true);
  });

  it('types parameters and body from the operation', () => {
    type ListRequest = Parameters<OperationHandler<operations['listWidgets']>>[0];
    type PutRequest = Parameters<OperationHandler<operations['putWidget']>>[0];
    type GetRequest = Parameters<OperationHandler<operations['getWidget']>>[0];
    const checks: [
      Expect<Equal<ListRequest['params']['query']['limit'], number | undefined>>,
      Expect<Equal<PutRequest['params']['path']['widgetId'], string>>,
      Expect<Equal<PutRequest['params']['header']['if-match'], string | undefined>>,
      Expect<
        Equal<
          PutRequest['body'],
          operations['putWidget']['requestBody']['content']['application/json']
        >
      >,
      Expect<Equal<GetRequest['body'], undefined>>,
      Expect<Equal<ApiResponse<operations['deleteWidget']>['status'], 204>>,
    ] = [true, true, true, true, true, true];

    // @ts-expect-error header parameters are lower case at runtime, so the declared case is not offered
    const upper: PutRequest['params']['header']['If-Match'] = undefined;
    // @ts-expect-error getWidget has no query parameters
    const query: GetRequest['params']['query']['limit'] = 1;

    expect([checks.length, upper, query]).toEqual([6, undefined, 1]);
  });

  it('rejects responses the contract does not allow', () => {
    const rejected: ApiHandlers<operations> = {
      // @ts-expect-error 418 is not a declared response of getWidget
      getWidget: () => ({ status: 418, body: widget, headers: { ETag: '"1"' } }),
      // @ts-expect-error the body lacks the required `size`
      putWidget: () => ({ status: 200, body: { widgetId: 'w-1', name: 'gear' } }),
      // @ts-expect-error a 204 has no body
      deleteWidget: () => ({ status: 204, body: widget }),
    };
    const problemReturned: ApiHandlers<operations> = {
      // @ts-expect-error problems are thrown as AppErrors, never returned
      getWidget: () => ({
        status: 404,
        body: { type: 'urn:problem-type:not-found', title: 'Not Found', status: 404 },
      }),
    };
    const missingHeader: ApiHandlers<operations> = {
      // @ts-expect-error the contract requires an ETag header on getWidget's 200
      getWidget: () => ({ status: 200, body: widget }),
    };
    const wrongStatusForBody: ApiHandlers<operations> = {
      // @ts-expect-error 200 of listWidgets returns a page, not a widget
      listWidgets: async () => ({ status: 200, body: widget }),
    };

    expect(
      Object.keys({ ...rejected, ...problemReturned, ...missingHeader, ...wrongStatusForBody }),
    ).toHaveLength(4);
  });

  it('rejects a handler for an operation the contract does not have', () => {
    const create = () =>
      createApiHandler<operations>(
        { operationManifest, validators },
        // @ts-expect-error unknown operation id
        { deleteEverything: () => ({ status: 204 }) },
      );

    expect(create).toThrow(/not in the contract/);
  });

  it("takes only the served operations' validators, and requires each of them", () => {
    const getWidget = () => ({ status: 200 as const, body: widget, headers: { ETag: '"1"' } });
    const served = createApiHandler<operations, 'getWidget'>(
      { operationManifest, validators: { getWidget: validators.getWidget } },
      { getWidget },
    );
    const missing = () =>
      createApiHandler<operations, 'getWidget'>(
        // @ts-expect-error the served operation's validators are missing
        { operationManifest, validators: {} },
        { getWidget },
      );
    const notServed = () =>
      createApiHandler<operations, 'getWidget'>(
        { operationManifest, validators: { getWidget: validators.getWidget } },
        // @ts-expect-error putWidget is not among the served operations, so it has no validators
        { getWidget, putWidget: () => ({ status: 200, body: widget }) },
      );
    const allByDefault = () =>
      createApiHandler<operations>(
        // @ts-expect-error without the served operations named, every operation's validators are needed
        { operationManifest, validators: { getWidget: validators.getWidget } },
        { getWidget },
      );

    expect(typeof served).toBe('function');
    expect(missing).toThrow("no validators given for operation 'getWidget' (given: none)");
    expect(notServed).toThrow("no validators given for operation 'putWidget' (given: getWidget)");
    expect(allByDefault).not.toThrow();
  });
});
