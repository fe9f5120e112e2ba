import type { Embedder, SentimentClassifier } from '@serendip/inference';
import type { JobPayloads, JobResults } from '@serendip/jobs';

/** Job names that can have a handler: those with a declared result type. */
export type HandledJob = keyof JobResults;

export type ModelKind = 'embedder' | 'sentiment';

/** The models of one worker process, loaded once by its inference thread. */
export interface Models {
  readonly embedder: Embedder;
  readonly sentiment: SentimentClassifier;
}

/**
 * Answers a whole micro-batch with one result per payload, in order. `models` lists what `run`
 * reads, so the inference thread loads exactly those (a process serving only search text never
 * loads the sentiment model).
 */
export interface JobHandler<J extends HandledJob> {
  readonly models: readonly ModelKind[];
  run(payloads: JobPayloads[J][], models: Models): Promise<JobResults[J][]>;
}

export type HandlerRegistry = { readonly [J in HandledJob]?: JobHandler<J> };
