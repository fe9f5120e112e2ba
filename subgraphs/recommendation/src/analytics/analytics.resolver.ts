import { isRowId } from '@serendip/db';
import { badInput, pageSize, requireAdmin, requireUser } from '@serendip/federation';
import { Arg, Ctx, Float, GraphQLISODateTime, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { ActivityPatterns } from './activity.type';
import { CategoryAffinityConnection } from './category-affinity.type';
import { PrivacyInput } from './dto/privacy.input';
import { BehaviourFunnel, ProductFunnelConnection } from './funnel.type';
import { MAX_PERIOD_DAYS, validatePeriod } from './period';
import type { PrivacyRequest } from './private-release';
import { PrivacyBudget, PrivacyMechanism } from './privacy.type';
import { RepeatPurchase } from './repeat-purchase.type';
import { SessionStatistics } from './session-statistics.type';

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

const PERIOD = `Events with from <= occurredAt < to; at most ${MAX_PERIOD_DAYS} days.`;
const ADMIN_ONLY = 'Admins only.';
const EXACT_OR_PRIVATE =
  "Exact without privacy (for the shop's own staff); with privacy, a differentially private release charged to your budget (for sharing).";

/** The calling admin, who is also the analyst whose privacy budget pays for private releases. */
function analyst(ctx: RecommendationContext): string {
  requireAdmin(ctx);
  return requireUser(ctx);
}

function category(categoryId: string): string {
  if (!isRowId(categoryId)) throw badInput(`categoryId: "${categoryId}" is not a category id`, 'categoryId');
  return categoryId;
}

function privacyRequest(input: PrivacyInput | null | undefined): PrivacyRequest | null {
  if (!input) return null;
  const delta = input.delta ?? undefined;
  return {
    mechanism: input.mechanism === PrivacyMechanism.GAUSSIAN ? 'gaussian' : 'laplace',
    epsilon: input.epsilon,
    ...(delta === undefined ? {} : { delta }),
  };
}

@Resolver()
export class AnalyticsResolver {
  @Query(() => BehaviourFunnel, {
    description: `The VIEW → CART → PURCHASE funnel over a period, optionally in one category. ${PERIOD} ${EXACT_OR_PRIVATE} ${ADMIN_ONLY}`,
  })
  behaviourFunnel(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('categoryId', () => ID, { nullable: true }) categoryId: string | null | undefined,
    @Arg('privacy', () => PrivacyInput, { nullable: true }) privacy: PrivacyInput | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<BehaviourFunnel> {
    const analystId = analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.funnel(analystId, period, categoryId ? category(categoryId) : null, privacyRequest(privacy));
  }

  @Query(() => ProductFunnelConnection, {
    description: `The funnel per product of a category, most viewed first. ${PERIOD} Exact figures. ${ADMIN_ONLY}`,
  })
  behaviourFunnelByProduct(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('categoryId', () => ID) categoryId: string,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE, description: `1 to ${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<ProductFunnelConnection> {
    analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.productFunnels(period, category(categoryId), pageSize(first, MAX_PAGE), after ?? null);
  }

  @Query(() => ActivityPatterns, {
    description: `Events by hour of day and day of week (UTC), per event type, optionally in one category. ${PERIOD} ${EXACT_OR_PRIVATE} ${ADMIN_ONLY}`,
  })
  activityPatterns(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('categoryId', () => ID, { nullable: true }) categoryId: string | null | undefined,
    @Arg('privacy', () => PrivacyInput, { nullable: true }) privacy: PrivacyInput | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<ActivityPatterns> {
    const analystId = analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.activityPatterns(analystId, period, categoryId ? category(categoryId) : null, privacyRequest(privacy));
  }

  @Query(() => SessionStatistics, { description: `Shopping sessions over a period. ${PERIOD} ${EXACT_OR_PRIVATE} ${ADMIN_ONLY}` })
  sessionStatistics(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('privacy', () => PrivacyInput, { nullable: true }) privacy: PrivacyInput | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<SessionStatistics> {
    const analystId = analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.sessionStatistics(analystId, period, privacyRequest(privacy));
  }

  @Query(() => CategoryAffinityConnection, {
    description: `Categories by how many shoppers engaged with them, with conversion and lift. ${PERIOD} Exact figures. ${ADMIN_ONLY}`,
  })
  categoryAffinity(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('first', () => Int, { defaultValue: DEFAULT_PAGE, description: `1 to ${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<CategoryAffinityConnection> {
    analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.categoryAffinity(period, pageSize(first, MAX_PAGE), after ?? null);
  }

  @Query(() => RepeatPurchase, { description: `Shoppers who buy on more than one day. ${PERIOD} ${EXACT_OR_PRIVATE} ${ADMIN_ONLY}` })
  repeatPurchase(
    @Arg('from', () => GraphQLISODateTime) from: Date,
    @Arg('to', () => GraphQLISODateTime) to: Date,
    @Arg('privacy', () => PrivacyInput, { nullable: true }) privacy: PrivacyInput | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<RepeatPurchase> {
    const analystId = analyst(ctx);
    const period = validatePeriod(from, to);
    return ctx.analytics.repeatPurchase(analystId, period, privacyRequest(privacy));
  }

  @Query(() => PrivacyBudget, { description: `Your differential-privacy budget. ${ADMIN_ONLY}` })
  privacyBudget(@Ctx() ctx: RecommendationContext): Promise<PrivacyBudget> {
    return ctx.analytics.budget(analyst(ctx));
  }

  @Mutation(() => PrivacyBudget, {
    description: `Raises another admin's privacy budget by epsilon and delta; nobody raises their own, so spending more always takes a second person. The platform's budget per period is a setting no grant raises. ${ADMIN_ONLY}`,
  })
  grantPrivacyBudget(
    @Arg('analystId', () => ID) analystId: string,
    @Arg('epsilon', () => Float) epsilon: number,
    @Arg('delta', () => Float, { defaultValue: 0 }) delta: number,
    @Ctx() ctx: RecommendationContext,
  ): Promise<PrivacyBudget> {
    return ctx.analytics.grant(analyst(ctx), analystId, { epsilon, delta });
  }
}
