import type { Embedder, SentimentClassifier } from '@serendip/inference';
import type { AnalyseReviewPayload, AnalyseReviewResult, EmbedTextPayload, EmbedTextResult, JobName, ModelStamp, ProductText } from '@serendip/jobs';

/**
 * What a handler answers one at a time: a job's payload, except for embed-products, whose
 * products are each their own item so that several jobs' products share one inference call.
 */
export interface HandlerItems {
  [JobName.EmbedProducts]: { in: ProductText; out: ProductEmbedding };
  [JobName.EmbedText]: { in: EmbedTextPayload; out: EmbedTextResult };
  [JobName.AnalyseReview]: { in: AnalyseReviewPayload; out: AnalyseReviewResult };
}

/** Jobs answered by the inference thread (update-interest runs on the main thread, see InterestUpdater). */
export type HandledJob = keyof HandlerItems;

export interface ProductEmbedding extends ModelStamp {
  productId: string;
  vector: Float32Array;
}

export type ModelKind = 'embedder' | 'sentiment';

/** The models of one worker process, loaded once by its inference thread. */
export interface Models {
  readonly embedder: Embedder;
  readonly sentiment: SentimentClassifier;
}

/**
 * Answers a whole micro-batch with one result per item, in order. `models` lists what `run`
 * reads, so the inference thread loads exactly those (a process serving only search text never
 * loads the sentiment model).
 */
export interface JobHandler<J extends HandledJob> {
  readonly models: readonly ModelKind[];
  run(items: HandlerItems[J]['in'][], models: Models): Promise<HandlerItems[J]['out'][]>;
}

export type HandlerRegistry = { readonly [J in HandledJob]?: JobHandler<J> };
