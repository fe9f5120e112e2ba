import { PeriodicTask, ServiceClient } from '@serendip/federation';
import { DEFAULT_QUALITY_PRIOR, qualityMultiplier, reviewQuality, type ReviewTally } from '@serendip/recsys';

export interface ProductTally extends ReviewTally {
  productId: string;
}

/** Where review tallies come from: the feedback subgraph's service-only feed. */
export interface ReviewTallyFeed {
  page(after: string | null, first: number): Promise<{ items: ProductTally[]; hasNextPage: boolean; endCursor: string | null }>;
}

const QUERY = `query ($after: ID, $first: Int) {
  reviewTallyFeed(after: $after, first: $first) { hasNextPage endCursor items { productId ratings ratingSum analysed positive negative } }
}`;

/** Reads `reviewTallyFeed` from the feedback subgraph directly (see ServiceClient). */
export class ReviewTallyFeedClient implements ReviewTallyFeed {
  private readonly client: ServiceClient;

  constructor(url: string, gatewaySecret: string, timeoutMs = 30_000) {
    this.client = new ServiceClient({ caller: 'recommendation', target: 'feedback', url, gatewaySecret, timeoutMs });
  }

  async page(after: string | null, first: number) {
    const data = await this.client.call<{ reviewTallyFeed: Awaited<ReturnType<ReviewTallyFeed['page']>> }>(QUERY, { after, first });
    return data.reviewTallyFeed;
  }
}

export interface ReviewQualityOptions {
  /** The most review quality can move a candidate's score (see qualityMultiplier); 0 turns it off. */
  weight: number;
  /** Pause between full reads of the feed. */
  refreshMs: number;
  /** @default 5000, the feed's largest page */
  pageSize?: number;
}

/**
 * Each product's review quality (stars and analysed sentiment, see reviewQuality) as a ranking
 * factor for slates. The whole feed is read at start and every `refreshMs` and swapped in at
 * once; a failed read keeps the previous figures and is retried next time. A product without
 * reviews, or not seen yet, gets factor 1.
 */
export class ReviewQuality {
  private qualities = new Map<string, number>();
  private task: PeriodicTask | null = null;

  constructor(
    private readonly feed: ReviewTallyFeed,
    private readonly options: ReviewQualityOptions,
  ) {}

  /** The factor for a product's fused score. */
  readonly multiplier = (productId: string): number => {
    if (this.options.weight === 0) return 1;
    return qualityMultiplier(this.qualities.get(productId) ?? reviewQuality(NO_REVIEWS), this.options.weight, DEFAULT_QUALITY_PRIOR);
  };

  get products(): number {
    return this.qualities.size;
  }

  /** Reads the whole feed and swaps the figures in; returns how many products have reviews. */
  async refresh(): Promise<number> {
    const next = new Map<string, number>();
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<ReviewTallyFeed['page']>> = await this.feed.page(after, this.options.pageSize ?? 5000);
      for (const tally of page.items) next.set(tally.productId, reviewQuality(tally));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    this.qualities = next;
    return next.size;
  }

  start(): this {
    if (this.options.weight > 0) this.task = new PeriodicTask('review quality not refreshed', this.options.refreshMs, () => this.refresh()).start();
    return this;
  }

  async stop(): Promise<void> {
    await this.task?.stop();
  }
}

const NO_REVIEWS: ReviewTally = { ratings: 0, ratingSum: 0, analysed: 0, positive: 0, negative: 0 };
