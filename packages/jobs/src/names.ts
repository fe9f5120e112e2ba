/**
 * One queue per job kind: a shopper's search text must not wait behind a catalogue import's
 * thousands of product embeddings, and each queue can be given its own workers when one kind
 * needs more capacity than the others.
 */
export const QueueName = {
  ProductEmbedding: 'product-embedding',
  TextEmbedding: 'text-embedding',
  ReviewAnalysis: 'review-analysis',
  InterestUpdate: 'interest-update',
  /** Model training (the sequence model's scheduled retrain): long CPU work, one job at a time. */
  ModelTraining: 'model-training',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  EmbedProducts: 'embed-products',
  EmbedText: 'embed-text',
  AnalyseReview: 'analyse-review',
  UpdateInterest: 'update-interest',
  RetrainSequence: 'retrain-sequence',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** The queue each job is added to. */
export const queueOfJob = {
  [JobName.EmbedProducts]: QueueName.ProductEmbedding,
  [JobName.EmbedText]: QueueName.TextEmbedding,
  [JobName.AnalyseReview]: QueueName.ReviewAnalysis,
  [JobName.UpdateInterest]: QueueName.InterestUpdate,
  [JobName.RetrainSequence]: QueueName.ModelTraining,
} as const satisfies Record<JobName, QueueName>;

/** The job name carried by a queue (one per queue, see `QueueName`). */
export type JobOfQueue<Q extends QueueName> = { [J in JobName]: (typeof queueOfJob)[J] extends Q ? J : never }[JobName];

const queueNames = new Set<string>(Object.values(QueueName));

export const isQueueName = (name: string): name is QueueName => queueNames.has(name);

/** Every job name routed to `queue`, so a worker can check it has a handler for each before it starts. */
export const jobsOfQueue = (queue: QueueName): JobName[] => (Object.keys(queueOfJob) as JobName[]).filter((job) => queueOfJob[job] === queue);
