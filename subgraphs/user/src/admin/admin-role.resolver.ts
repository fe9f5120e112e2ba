import { requireAdmin, requireUser } from '@serendip/federation';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { UserContext } from '../context';
import { toUser } from '../user/user.mapper';
import { User } from '../user/user.type';

const TAKES_EFFECT = 'Takes effect at once: their access tokens are revoked, and refreshSession issues ones with the new roles.';

@Resolver()
export class AdminRoleResolver {
  @Mutation(() => User, {
    description: `Admins only: makes the account with this email an admin (nothing changes if it is one). ${TAKES_EFFECT} NOT_FOUND when no account has the email.`,
  })
  async grantAdmin(@Arg('email', () => String) email: string, @Ctx() ctx: UserContext): Promise<User> {
    await this.requireAdmin(ctx);
    return toUser((await ctx.adminRoles.grant(email)).user);
  }

  @Mutation(() => User, {
    description: `Admins only: takes the admin role from the account with this email (nothing changes if it has none). ${TAKES_EFFECT} NOT_FOUND when no account has the email.`,
  })
  async revokeAdmin(@Arg('email', () => String) email: string, @Ctx() ctx: UserContext): Promise<User> {
    await this.requireAdmin(ctx);
    return toUser((await ctx.adminRoles.revoke(email)).user);
  }

  /** The token's roles first (no query for shoppers), then the stored ones. */
  private async requireAdmin(ctx: UserContext): Promise<void> {
    requireAdmin(ctx);
    await ctx.adminRoles.requireStoredAdmin(requireUser(ctx));
  }
}
