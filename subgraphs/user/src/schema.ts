import { buildFederatedSchema } from '@serendip/federation';
import { AdminRoleResolver } from './admin/admin-role.resolver';
import { UserRolesResolver } from './admin/user-roles.resolver';
import { resolveUserReference } from './user/user.reference';
import { UserResolver } from './user/user.resolver';

export const buildUserSchema = () =>
  buildFederatedSchema({
    resolvers: [UserResolver, AdminRoleResolver, UserRolesResolver],
    references: { User: { __resolveReference: resolveUserReference } },
  });
