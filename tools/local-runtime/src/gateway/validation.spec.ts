import Ajv from 'ajv-draft-04';
import { formatValidationErrors } from './validation';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });

function messages(schema: object, data: unknown): string {
  const validate = ajv.compile(schema);
  expect(validate(data)).toBe(false);
  return formatValidationErrors(validate.errors ?? []);
}

describe('validationErrorString', () => {
  it('lists missing required properties together, sorted, as API Gateway does', () => {
    expect(messages({ type: 'object', required: ['username', 'password'] }, {})).toBe('[object has missing required properties (["password","username"])]');
  });

  it('names the JSON type found and every type allowed', () => {
    expect(messages({ type: 'number' }, '100')).toBe('[instance type (string) does not match any allowed primitive type (allowed: ["integer","number"])]');
    expect(messages({ type: 'string' }, true)).toBe('[instance type (boolean) does not match any allowed primitive type (allowed: ["string"])]');
  });

  it('words bounds, patterns and enums like the validator API Gateway runs', () => {
    expect(messages({ minimum: 315529200000 }, 1)).toBe('[numeric instance is lower than the required minimum (minimum: 315529200000, found: 1)]');
    expect(messages({ maximum: 5, exclusiveMaximum: true }, 5)).toBe('[numeric instance is not strictly lower than the required maximum 5]');
    expect(messages({ pattern: '^[a-z]+$' }, 'ABC')).toBe('[ECMA 262 regex "^[a-z]+$" does not match input string "ABC"]');
    expect(messages({ enum: ['CREATED', 'SENT'] }, 'INVALID')).toBe('[instance value ("INVALID") not found in enum (possible values: ["CREATED","SENT"])]');
    expect(messages({ maxLength: 2 }, 'abc')).toBe('[string "abc" is too long (length: 3, maximum allowed: 2)]');
  });

  it('summarises a failed oneOf by its own message only', () => {
    expect(messages({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 1.5)).toBe('[instance failed to match exactly one schema (matched 0 out of 2)]');
  });
});
