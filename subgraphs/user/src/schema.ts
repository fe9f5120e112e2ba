import { buildFederatedSchema } from '@serendip/federation';
import { resolveUserReference } from './user/user.reference';
import { UserResolver } from './user/user.resolver';

export const buildUserSchema = () =>
  buildFederatedSchema({
    resolvers: [UserResolver],
    references: { User: { __resolveReference: resolveUserReference } },
  });
