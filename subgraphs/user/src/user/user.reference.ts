import type { UserContext } from '../context';
import { toUser } from './user.mapper';
import type { User } from './user.type';

/** Resolves `User` entities that other subgraphs reference by id. */
export async function resolveUserReference(reference: Pick<User, 'id'>, ctx: UserContext): Promise<User | null> {
  const user = await ctx.loaders.user.load(reference.id);
  return user ? toUser(user) : null;
}
