import { AppError, ErrorCode, IDENTITY_HEADER, signIdentity } from '@serendip/federation';
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

interface FeedResponse {
  data?: { reviewTallyFeed: { hasNextPage: boolean; endCursor: string | null; items: ProductTally[] } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Reads `reviewTallyFeed` from the feedback subgraph directly, signed as a user-less admin (see ProductVectorFeedClient). */
export class ReviewTallyFeedClient implements ReviewTallyFeed {
  constructor(
    private readonly url: string,
    private readonly gatewaySecret: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async page(after: string | null, first: number) {
    let body: FeedResponse;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(this.gatewaySecret, { userId: null, roles: ['admin'] }) },
        body: JSON.stringify({ query: QUERY, variables: { after, first } }),
      });
      if (!response.ok && response.status !== 401) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as FeedResponse;
    } catch (error) {
      throw new AppError(ErrorCode.Unavailable, `The feedback review tallies are not answering: ${error instanceof Error ? error.message : error}`);
    }
    const feed = body.data?.reviewTallyFeed;
    if (!feed) {
      const reasons = (body.errors ?? []).map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
      throw new AppError(ErrorCode.Unavailable, `The feedback subgraph refused the review tallies (${reasons || 'no data'})`);
    }
    return feed;
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

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
    if (this.options.weight === 0) return this;
    const tick = () => {
      this.running ??= this.refresh()
        .catch((error: unknown) => console.error('[recommendation] review quality not refreshed:', error instanceof Error ? error.message : error))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.options.refreshMs);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

const NO_REVIEWS: ReviewTally = { ratings: 0, ratingSum: 0, analysed: 0, positive: 0, negative: 0 };
