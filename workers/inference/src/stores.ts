import { CatalogueVectorSink, CatalogueVectorSource } from '@serendip/subgraph-catalogue';
import { FeedbackAnalysisSink, FeedbackReviewSource } from '@serendip/subgraph-feedback';
import { RecommendationInterestAdapter } from '@serendip/subgraph-recommendation';
import type { WorkerConfig } from './config';
import { RedisInterestAnnouncer } from './interest/interest-announcer';
import type { InterestSources } from './interest/interest-sources';
import type { ProductVectorSink } from './sinks/product-vector.sink';
import type { ReviewAnalysisSink } from './sinks/review-analysis.sink';

/** What one worker process keeps results in and reads interests from; null where it needs none. */
export interface WorkerStores {
  productVectors: ProductVectorSink | null;
  reviewAnalyses: ReviewAnalysisSink | null;
  interests: InterestSources | null;
  /** Closes everything opened, one after the other. */
  close(): Promise<void>;
}

export interface StoreNeeds {
  /** Product vectors go to the catalogue's database. */
  productVectors: boolean;
  /** Review analyses go to the feedback database. */
  reviewAnalyses: boolean;
  /** Interest updates read and write the recommendation, catalogue and feedback databases. */
  interests: boolean;
}

interface Closable {
  close(): Promise<void> | void;
}

/**
 * The one place the worker names the subgraphs. Each subgraph implements the worker's narrow
 * interfaces (ProductVectorSink, ReviewAnalysisSink, the InterestSources) over its own stores, on
 * a connection of its own to its own database; the job processing and the interest updater see
 * only the interfaces.
 */
export async function openStores(config: WorkerConfig, needs: StoreNeeds): Promise<WorkerStores> {
  const opened: Closable[] = [];
  const track = <T extends Closable>(store: T): T => (opened.push(store), store);
  const close = async () => {
    for (const store of opened.splice(0)) await store.close();
  };
  try {
    const productVectors = needs.productVectors ? track(await CatalogueVectorSink.open(config)) : null;
    let interests: InterestSources | null = null;
    if (needs.interests) {
      const opening = [
        RecommendationInterestAdapter.open(config).then(track),
        CatalogueVectorSource.open(config).then(track),
        FeedbackReviewSource.open(config).then(track),
      ] as const;
      // Every connection that opened is tracked before a failure is rethrown, so none is left open.
      await Promise.allSettled(opening);
      const [shoppers, products, reviews] = await Promise.all(opening);
      interests = { shoppers, products, reviews, announcer: track(new RedisInterestAnnouncer(config.REDIS_URL, config.PUBSUB_PREFIX)) };
    }
    const reviewAnalyses = needs.reviewAnalyses ? track(await FeedbackAnalysisSink.open(config)) : null;
    return { productVectors, reviewAnalyses, interests, close };
  } catch (error) {
    await close();
    throw error;
  }
}
