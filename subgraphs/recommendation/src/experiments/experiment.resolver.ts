import { badInput, requireAdmin, requireUser } from '@serendip/federation';
import { Arg, Ctx, Float, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { ExperimentStatus } from './experiment.enums';
import { CreateExperimentInput, Experiment, ExperimentResults } from './experiment.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function experimentId(id: string): string {
  if (!UUID.test(id)) throw badInput(`"${id}" is not an experiment id`, 'id');
  return id.toLowerCase();
}

@Resolver()
export class ExperimentResolver {
  @Query(() => [Experiment], { description: 'Admins only: experiments, newest first.' })
  experiments(
    @Arg('status', () => ExperimentStatus, { nullable: true }) status: ExperimentStatus | null | undefined,
    @Ctx() ctx: RecommendationContext,
  ): Promise<Experiment[]> {
    requireAdmin(ctx);
    return ctx.experiments.list(status ?? null);
  }

  @Query(() => ExperimentResults, {
    description:
      'Admins only: per-arm CTR, conversion and revenue per shopper with confidence intervals, each arm tested against the control (Holm-adjusted), the sample-ratio check, the diversity and coverage guardrails, and the winner if there is one.',
  })
  experimentResults(
    @Arg('id', () => ID) id: string,
    @Arg('confidence', () => Float, { defaultValue: 0.95, description: 'Of the intervals; 1 − confidence is the significance level.' }) confidence: number,
    @Ctx() ctx: RecommendationContext,
  ): Promise<ExperimentResults> {
    requireAdmin(ctx);
    return ctx.experiments.results(experimentId(id), confidence);
  }

  @Mutation(() => Experiment, { description: 'Admins only: defines an experiment (DRAFT). The first arm is the control.' })
  createExperiment(@Arg('input', () => CreateExperimentInput) input: CreateExperimentInput, @Ctx() ctx: RecommendationContext): Promise<Experiment> {
    requireAdmin(ctx);
    return ctx.experiments.create(requireUser(ctx), input);
  }

  @Mutation(() => Experiment, { description: 'Admins only: starts a DRAFT; its slot must have no other running experiment.' })
  startExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: RecommendationContext): Promise<Experiment> {
    requireAdmin(ctx);
    return ctx.experiments.start(experimentId(id));
  }

  @Mutation(() => Experiment, { description: "Admins only: stops an experiment for good; its shoppers get the slot's own policy again." })
  stopExperiment(@Arg('id', () => ID) id: string, @Ctx() ctx: RecommendationContext): Promise<Experiment> {
    requireAdmin(ctx);
    return ctx.experiments.stop(experimentId(id));
  }
}
