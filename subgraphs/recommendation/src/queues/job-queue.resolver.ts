import { badInput, requireAdmin } from '@serendip/federation';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { JobQueue } from './job-queue.types';

const MAX_FAILED = 100;

@Resolver()
export class JobQueueResolver {
  @Query(() => [JobQueue], { description: "Admins only: the worker's queues with their jobs counted by state, and each one's newest failed jobs." })
  async jobQueues(
    @Arg('failedFirst', () => Int, { defaultValue: 20, description: `Failed jobs listed per queue, 0 to ${MAX_FAILED}.` }) failedFirst: number,
    @Ctx() ctx: RecommendationContext,
  ): Promise<JobQueue[]> {
    requireAdmin(ctx);
    if (!(failedFirst >= 0 && failedFirst <= MAX_FAILED)) throw badInput(`failedFirst must be 0 to ${MAX_FAILED}`, 'failedFirst');
    return ctx.jobQueues.list(failedFirst);
  }

  @Mutation(() => Boolean, {
    description:
      'Admins only: sends a failed job back to its queue to be tried again, attempts counted afresh. NOT_FOUND for an unknown queue or job, CONFLICT when the job has not failed.',
  })
  async retryFailedJob(@Arg('queue', () => String) queue: string, @Arg('jobId', () => ID) jobId: string, @Ctx() ctx: RecommendationContext): Promise<boolean> {
    requireAdmin(ctx);
    await ctx.jobQueues.retry(queue, jobId);
    return true;
  }
}
