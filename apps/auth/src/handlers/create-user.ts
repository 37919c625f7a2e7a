import { createUserValidators, operationManifest, type operations } from '@sm/contract-auth';
import { createApiHandler } from '@sm/http-lambda';
import { createRegisterUser } from '../domain/register-user';
import { DynamoUserStore } from '../repository/dynamo-user-store';
import { createRuntime } from './support/runtime';

const { config, observability, documentClient } = createRuntime();
const registerUser = createRegisterUser({ users: new DynamoUserStore(documentClient, config.usersTableName) });

/** POST /users (createUser): 201 with the new user, 409 when the username is taken. */
export const handler = createApiHandler<operations, 'createUser'>(
  { operationManifest, validators: { createUser: createUserValidators } },
  {
    createUser: async ({ body }) => {
      const user = await registerUser(body);
      observability.countMetric('UserRegistered');
      observability.logger.info('User registered', { userId: user.userId });
      return { status: 201, body: user };
    },
  },
  { observability },
);
