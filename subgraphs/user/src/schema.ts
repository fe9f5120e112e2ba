import { buildFederatedSchema } from '@serendip/federation';
import { AdminRoleResolver } from './admin/admin-role.resolver';
import { resolveUserReference } from './user/user.reference';
import { UserResolver } from './user/user.resolver';

export const buildUserSchema = () =>
  buildFederatedSchema({
    resolvers: [UserResolver, AdminRoleResolver],
    references: { User: { __resolveReference: resolveUserReference } },
  });
