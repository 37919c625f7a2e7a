import {
  ConditionalCheckFailedException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed } from './conditional-check';

describe('isConditionalCheckFailed', () => {
  it("recognises the SDK's ConditionalCheckFailedException", () => {
    // Prepare
    const error = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
    });

    // Act + Assess
    expect(isConditionalCheckFailed(error)).toBe(true);
  });

  it('recognises the exception by name when it comes from another copy of the SDK', () => {
    // Prepare
    const foreign = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });

    // Act + Assess
    expect(isConditionalCheckFailed(foreign)).toBe(true);
  });

  it.each([
    [
      'another DynamoDB error',
      new ResourceNotFoundException({ message: 'no table', $metadata: {} }),
    ],
    ['a plain error', new Error('ConditionalCheckFailedException')],
    ['a non-error value', { name: 'ConditionalCheckFailedException' }],
  ])('does not mistake %s for a failed condition', (_, error) => {
    expect(isConditionalCheckFailed(error)).toBe(false);
  });
});
