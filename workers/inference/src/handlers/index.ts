import { JobName } from '@serendip/jobs';
import { analyseReviews } from './analyse-review.handler';
import { embedProducts } from './embed-product.handler';
import { embedTexts } from './embed-text.handler';
import type { HandlerRegistry } from './handler';

/**
 * The built-in handlers. `update-interest` has none yet, so no worker serves its queue (see
 * DEFAULT_WORKER_QUEUES); a worker told to serve it refuses to start.
 */
export const handlers: HandlerRegistry = {
  [JobName.EmbedProducts]: { models: ['embedder'], run: embedProducts },
  [JobName.EmbedText]: { models: ['embedder'], run: embedTexts },
  [JobName.AnalyseReview]: { models: ['embedder', 'sentiment'], run: analyseReviews },
};
