import type { LocalSystem } from '@sm/local-runtime';
import { methodLimits } from './limits';

function system(
  perMethod: [string, { rateLimit: number; burstLimit: number }][] = [],
): LocalSystem {
  return {
    tables: [],
    functions: [
      {
        id: 'SmLocation/GetLocation',
        functionName: 'get-location',
        codeDir: '/tmp',
        handler: 'get-location.handler',
        runtime: 'nodejs22.x',
        environment: {},
        timeoutSeconds: 5,
        memorySizeMB: 256,
        reservedConcurrency: 20,
        logGroupName: '/aws/lambda/get-location',
      },
    ],
    apis: [
      {
        stackName: 'SmLocation',
        methods: [
          {
            httpMethod: 'GET',
            resourcePath: '/loc/{userId}',
            integration: {
              type: 'AWS_PROXY',
              functionId: 'SmLocation/GetLocation',
              timeoutMs: 29_000,
            },
          },
        ],
        throttling: {
          stageDefault: { rateLimit: 100, burstLimit: 50 },
          perMethod: new Map(perMethod),
        },
      },
    ],
  } as unknown as LocalSystem;
}

describe('methodLimits', () => {
  it('reads the stage default rate and burst and the function reserved concurrency', () => {
    expect(methodLimits(system(), 'GET', '/loc/{userId}')).toEqual({
      method: 'GET',
      resourcePath: '/loc/{userId}',
      rateLimit: 100,
      burstLimit: 50,
      functionName: 'get-location',
      reservedConcurrency: 20,
    });
  });

  it('prefers a method override over the stage default', () => {
    const limits = methodLimits(
      system([['/loc/{userId} GET', { rateLimit: 7, burstLimit: 3 }]]),
      'GET',
      '/loc/{userId}',
    );
    expect([limits.rateLimit, limits.burstLimit]).toEqual([7, 3]);
  });

  it('names the method when no API serves it', () => {
    expect(() => methodLimits(system(), 'DELETE', '/loc/{userId}')).toThrow(
      'No API in the assembly serves DELETE /loc/{userId}',
    );
  });
});
