import { AppError, ErrorCode, IDENTITY_HEADER, signIdentity } from '@serendip/federation';
import { decodeVector } from '@serendip/jobs';
import type { ProductIndexItem } from './product-index';

/** One page of the catalogue's product vectors, decoded. */
export interface ProductVectorPage {
  /** `name@version` of the model that made the page's vectors; vectors of different models are not comparable. */
  embeddingModel: string;
  items: ProductIndexItem[];
  hasNextPage: boolean;
  /** Where to continue, now or later; null only before the feed has returned anything. */
  endCursor: string | null;
}

/** Where the product index reads vectors from. */
export interface ProductVectorFeed {
  page(after: string | null, first: number): Promise<ProductVectorPage>;
}

const QUERY = `query ($after: String, $first: Int) {
  productVectorFeed(after: $after, first: $first) {
    model modelVersion hasNextPage endCursor
    items { productId categoryId createdAt vector }
  }
}`;

interface FeedResponse {
  data?: {
    productVectorFeed: {
      model: string;
      modelVersion: string;
      hasNextPage: boolean;
      endCursor: string | null;
      items: { productId: string; categoryId: string; createdAt: string; vector: string }[];
    };
  } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Reads the catalogue's `productVectorFeed`, a service-only query the gateway does not expose, by
 * calling the catalogue directly with an identity signed by the gateway secret (as
 * `CatalogueClient` does: identities have no service role, so it signs a user-less admin).
 */
export class ProductVectorFeedClient implements ProductVectorFeed {
  constructor(
    private readonly url: string,
    private readonly gatewaySecret: string,
    /** How long one page may take; a full page is about a megabyte of JSON. @default 30000 */
    private readonly timeoutMs = 30_000,
  ) {}

  async page(after: string | null, first: number): Promise<ProductVectorPage> {
    let body: FeedResponse;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: signIdentity(this.gatewaySecret, { userId: null, roles: ['admin'] }),
        },
        body: JSON.stringify({ query: QUERY, variables: { after, first } }),
      });
      // GraphQL errors come with 200 (or 401 for a bad identity); both carry a JSON body worth reading.
      if (!response.ok && response.status !== 401) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as FeedResponse;
    } catch (error) {
      throw new AppError(ErrorCode.Unavailable, `The catalogue's vector feed is not answering: ${error instanceof Error ? error.message : error}`);
    }
    const feed = body.data?.productVectorFeed;
    if (!feed) {
      const reasons = (body.errors ?? []).map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; ');
      throw new AppError(ErrorCode.Unavailable, `The catalogue refused the vector feed (${reasons || 'no data'})`);
    }
    return {
      embeddingModel: `${feed.model}@${feed.modelVersion}`,
      hasNextPage: feed.hasNextPage,
      endCursor: feed.endCursor,
      items: feed.items.map((item) => ({
        productId: item.productId,
        categoryId: item.categoryId,
        createdAt: new Date(item.createdAt),
        vector: decodeVector(item.vector),
      })),
    };
  }
}
