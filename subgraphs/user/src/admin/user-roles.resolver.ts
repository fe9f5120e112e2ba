import { requireSelfOrAdmin } from '@serendip/federation';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { UserContext } from '../context';
import { User } from '../user/user.type';

/**
 * `User.roles`, private like the email: a `User` reaches strangers as a review's author (and any
 * other field that names a shopper), and which accounts are admins is something an attacker would
 * like to know, as the ones whose passwords are worth guessing.
 */
@Resolver(() => User)
export class UserRolesResolver {
  @FieldResolver(() => [String], { description: 'Visible to the shopper themselves and to admins.' })
  roles(@Root() user: User, @Ctx() ctx: UserContext): string[] {
    requireSelfOrAdmin(ctx, user.id);
    return user.roles;
  }
}
