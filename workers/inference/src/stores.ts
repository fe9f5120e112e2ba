import { WorkerProductVectors } from '@serendip/subgraph-catalogue';
import { WorkerReviews } from '@serendip/subgraph-feedback';
import { RecommendationInterestAdapter } from '@serendip/subgraph-recommendation';
import type { WorkerConfig } from './config';
import { RedisInterestAnnouncer } from './interest/interest-announcer';
import type { InterestSources, ProductVectorSource } from './interest/interest-sources';
import type { ProductVectorSink } from './sinks/product-vector.sink';
import type { SequenceTrainingStore } from './sequence/sequence-trainer';
import type { ReviewAnalysisSink } from './sinks/review-analysis.sink';

/** What one worker process keeps results in and reads interests from; null where it needs none. */
export interface WorkerStores {
  productVectors: ProductVectorSink | null;
  reviewAnalyses: ReviewAnalysisSink | null;
  interests: InterestSources | null;
  /** The sequence model registry and the behaviour it trains on. */
  sequenceModels: SequenceTrainingStore | null;
  /** Product vectors and texts as the catalogue holds them (interest updates, the sequence model's side information). */
  products: ProductVectorSource | null;
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
  /** Sequence queries (with interest updates) and training read the recommendation database's registry and events. */
  sequenceModels: boolean;
  /** Training reads product vectors from the catalogue's database as side information. */
  productFeatures: boolean;
}

interface Closable {
  close(): Promise<void> | void;
}

/**
 * The one place the worker names the subgraphs. Each subgraph implements the worker's narrow
 * interfaces (ProductVectorSink, ReviewAnalysisSink, the InterestSources) over its own stores, on
 * one connection of the worker's to its database, shared by every interface it serves; the job
 * processing and the interest updater see only the interfaces.
 */
export async function openStores(config: WorkerConfig, needs: StoreNeeds): Promise<WorkerStores> {
  const opened: Closable[] = [];
  const track = <T extends Closable>(store: T): T => (opened.push(store), store);
  const close = async () => {
    for (const store of opened.splice(0)) await store.close();
  };
  try {
    // Opened in turn, so each is tracked (and closed on a later failure) before the next starts.
    const catalogue = needs.productVectors || needs.interests || needs.productFeatures ? track(await WorkerProductVectors.open(config)) : null;
    const feedback = needs.reviewAnalyses || needs.interests ? track(await WorkerReviews.open(config)) : null;
    const shoppers = needs.interests || needs.sequenceModels ? track(await RecommendationInterestAdapter.open(config)) : null;
    const interests: InterestSources | null =
      shoppers && catalogue && feedback
        ? { shoppers, products: catalogue, reviews: feedback, announcer: track(new RedisInterestAnnouncer(config.REDIS_URL, config.PUBSUB_PREFIX)) }
        : null;
    return {
      productVectors: needs.productVectors ? catalogue : null,
      reviewAnalyses: needs.reviewAnalyses ? feedback : null,
      interests,
      sequenceModels: shoppers,
      products: catalogue,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
