import { Field, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('JobQueue', { description: "One of the worker's BullMQ queues (one per job kind), as Redis holds it now. Admins only." })
export class JobQueue {
  @Field(() => String, { description: 'The queue name, e.g. `review-analysis`.' })
  name!: string;

  @Field(() => Int, { description: 'Jobs ready for a worker to take.' })
  waiting!: number;

  @Field(() => Int, { description: 'Jobs a worker holds now.' })
  active!: number;

  @Field(() => Int, { description: 'Jobs waiting for their time: a debounce, or the backoff before a retry.' })
  delayed!: number;

  @Field(() => Int, { description: 'Jobs whose every attempt failed; kept a week to be read and retried.' })
  failed!: number;

  @Field(() => Int, { description: 'Completed jobs still kept (an hour at most).' })
  completed!: number;

  @Field(() => Boolean, { description: 'Paused: workers take nothing from it.' })
  paused!: boolean;

  @Field(() => [FailedJobView], { description: 'The newest failed jobs first (at most `failedFirst` of them).' })
  failedJobs!: FailedJobView[];
}

@ObjectType('FailedJob', { description: 'A job whose every attempt failed, with why: what an operator reads before retrying it.' })
export class FailedJobView {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The job kind, e.g. `analyse-review`.' })
  name!: string;

  @Field(() => String, { description: "The last attempt's error message." })
  failedReason!: string;

  @Field(() => Int)
  attemptsMade!: number;

  @Field(() => GraphQLISODateTime, { description: 'When it was added.' })
  addedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it failed for good.' })
  failedAt!: Date | null;
}
