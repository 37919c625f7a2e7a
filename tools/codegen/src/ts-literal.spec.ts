import { tsLiteral } from './ts-literal';

describe('tsLiteral', () => {
  it.each([
    { name: 'a string, single-quoted and escaped', given: "it's\\", want: "'it\\'s\\\\'" },
    { name: 'null and numbers', given: [null, 1, -2.5], want: '[null, 1, -2.5]' },
    {
      name: 'identifier keys bare, other keys quoted',
      given: { a: 1, '200': 'x', 'a-b': true },
      want: "{ '200': 'x', a: 1, 'a-b': true }",
    },
    { name: 'an empty object', given: {}, want: '{}' },
  ])('prints $name', ({ given, want }) => {
    expect(tsLiteral(given)).toBe(want);
  });

  it('breaks a value that does not fit in 100 columns, one entry per line with trailing commas', () => {
    const given = { first: 'x'.repeat(60), second: ['y'.repeat(30), 'z'] };

    expect(tsLiteral(given)).toBe(
      `{\n  first: '${'x'.repeat(60)}',\n  second: ['${'y'.repeat(30)}', 'z'],\n}`,
    );
  });
});
