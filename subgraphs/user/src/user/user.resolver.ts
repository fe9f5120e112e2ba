import { notFound, requireAdmin, requireSelfOrAdmin, requireUser, AppError, ErrorCode } from '@serendip/federation';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserContext } from '../context';
import { SignUpInput } from './dto/sign-up.input';
import type { UserEntity } from './user.entity';
import { toUser } from './user.mapper';
import { AuthPayload, Consent, ForgetMeResult, User } from './user.type';
import type { IssuedSession } from '../session/session.service';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true, description: 'The signed-in shopper, or null for an anonymous visitor.' })
  async me(@Ctx() ctx: UserContext): Promise<User | null> {
    if (!ctx.identity.userId) return null;
    const user = await ctx.loaders.user.load(ctx.identity.userId);
    return user ? toUser(user) : null;
  }

  @Query(() => User, { description: 'Admin only: any account by id.' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: UserContext): Promise<User> {
    requireAdmin(ctx);
    const user = await ctx.loaders.user.load(id);
    if (!user) throw notFound('User', id);
    return toUser(user);
  }

  @Mutation(() => AuthPayload, { description: 'Creates a shopper account and signs it in.' })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: UserContext): Promise<AuthPayload> {
    if (ctx.identity.userId) throw new AppError(ErrorCode.BadUserInput, 'Sign out before creating another account');
    const { user, session } = await ctx.users.signUp(input);
    return this.signedIn(ctx, user, session);
  }

  @Mutation(() => AuthPayload)
  async signIn(@Arg('email', () => String) email: string, @Arg('password', () => String) password: string, @Ctx() ctx: UserContext): Promise<AuthPayload> {
    const { user, session } = await ctx.users.signIn(email, password);
    return this.signedIn(ctx, user, session);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Trades a refresh token for a new access token (with the roles the account has now) and a new refresh token. ' +
      'UNAUTHENTICATED when the session has ended or expired, or the refresh token was already used: sign in again.',
  })
  async refreshSession(@Arg('refreshToken', () => String) refreshToken: string, @Ctx() ctx: UserContext): Promise<AuthPayload> {
    const { user, session } = await ctx.sessions.refresh(refreshToken);
    return this.signedIn(ctx, user, session);
  }

  @Mutation(() => Boolean, {
    description:
      'Ends the session of the access token this request carries: its access and refresh tokens stop working at once, and its subscriptions close. False when it had already ended.',
  })
  async signOut(@Ctx() ctx: UserContext): Promise<boolean> {
    const userId = requireUser(ctx);
    if (!ctx.identity.sessionId) throw new AppError(ErrorCode.Unauthenticated, 'Sign in first');
    return ctx.sessions.end(userId, ctx.identity.sessionId);
  }

  @Mutation(() => Int, {
    description: 'Ends every session of the signed-in shopper, this one included, on every device; returns how many were open.',
  })
  async signOutEverywhere(@Ctx() ctx: UserContext): Promise<number> {
    return ctx.sessions.endAll(requireUser(ctx));
  }

  @Mutation(() => User, { description: 'Turns personalisation on or off for the signed-in shopper.' })
  async updateConsent(@Arg('personalisation', () => Boolean) personalisation: boolean, @Ctx() ctx: UserContext): Promise<User> {
    const userId = requireUser(ctx);
    return toUser(await ctx.users.setConsent(userId, personalisation));
  }

  @Mutation(() => ForgetMeResult, {
    description:
      'Deletes the signed-in shopper: account, behaviour events, interests, recommendation logs, reviews, embeddings and queued jobs, ' +
      'in every subgraph. Cannot be undone. SERVICE_UNAVAILABLE when a subgraph did not answer: nothing is lost by calling again.',
  })
  async forgetMe(@Ctx() ctx: UserContext): Promise<ForgetMeResult> {
    const userId = requireUser(ctx);
    return { userId, ...(await ctx.users.forget(userId)) };
  }

  /** The rest of this request acts as the shopper who just signed in, so the payload shows their email. */
  private signedIn(ctx: UserContext, user: UserEntity, session: IssuedSession): AuthPayload {
    ctx.identity = { userId: user.id, roles: user.roleList() };
    return { ...session, user: toUser(user) };
  }

  @FieldResolver(() => String, { description: 'Visible to the shopper themselves and to admins.' })
  email(@Root() user: User, @Ctx() ctx: UserContext): string {
    requireSelfOrAdmin(ctx, user.id);
    return user.email;
  }

  @FieldResolver(() => Consent, { description: 'Visible to the shopper themselves and to admins.' })
  consent(@Root() user: User, @Ctx() ctx: UserContext): Consent {
    requireSelfOrAdmin(ctx, user.id);
    return user.consent;
  }
}
