import { JobName } from '@serendip/jobs';
import { analyseReviews } from './analyse-review.handler';
import { embedProducts } from './embed-product.handler';
import { embedTexts } from './embed-text.handler';
import type { HandlerRegistry } from './handler';

/**
 * The inference thread's handlers. `update-interest` is not among them: it reads and writes the
 * recommendation database, so the main thread runs it (`InterestUpdater`, wired in app.ts) and only
 * the embeddings of its search texts come here, through `embed-text`.
 */
export const handlers: HandlerRegistry = {
  [JobName.EmbedProducts]: { models: ['embedder'], run: embedProducts },
  [JobName.EmbedText]: { models: ['embedder'], run: embedTexts },
  [JobName.AnalyseReview]: { models: ['embedder', 'sentiment'], run: analyseReviews },
};
