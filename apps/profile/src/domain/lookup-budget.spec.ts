import { lookupBudgetMs, RESPONSE_RESERVE_MS } from './lookup-budget';

describe('lookupBudgetMs', () => {
  it('is the configured budget when the invocation has time to spare', () => {
    expect(lookupBudgetMs(1000, 6000)).toBe(1000);
  });

  it('shrinks so that the response still leaves before the Lambda deadline', () => {
    expect(lookupBudgetMs(1000, 900)).toBe(900 - RESPONSE_RESERVE_MS);
  });

  it('never drops below 1 ms, which answers location: null at once', () => {
    expect(lookupBudgetMs(1000, 100)).toBe(1);
  });
});
