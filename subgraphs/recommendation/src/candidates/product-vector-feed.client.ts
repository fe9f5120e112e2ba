import { ServiceClient } from '@serendip/federation';
import { decodeVector } from '@serendip/jobs';
import type { ProductVectorFeed, ProductVectorPage } from '@serendip/vectors';

const QUERY = `query ($after: String, $first: Int) {
  productVectorFeed(after: $after, first: $first) {
    model modelVersion hasNextPage endCursor
    items { productId categoryId createdAt vector }
  }
}`;

interface FeedData {
  productVectorFeed: {
    model: string;
    modelVersion: string;
    hasNextPage: boolean;
    endCursor: string | null;
    items: { productId: string; categoryId: string; createdAt: string; vector: string }[];
  };
}

/**
 * Reads the catalogue's `productVectorFeed`, a service-only query the gateway does not expose, by
 * calling the catalogue directly through `ServiceClient`: no answer, a refusal or GraphQL errors
 * are SERVICE_UNAVAILABLE with the reason, which the index's refresh loop logs before retrying.
 */
export class ProductVectorFeedClient implements ProductVectorFeed {
  private readonly client: ServiceClient;

  constructor(
    url: string,
    gatewaySecret: string,
    /** How long one page may take; a full page is about a megabyte of JSON. @default 30000 */
    timeoutMs = 30_000,
  ) {
    this.client = new ServiceClient({
      caller: 'recommendation',
      target: 'catalogue',
      url,
      gatewaySecret,
      timeoutMs,
      description: "the catalogue's vector feed",
    });
  }

  async page(after: string | null, first: number): Promise<ProductVectorPage> {
    const { productVectorFeed: feed } = await this.client.call<FeedData>(QUERY, { after, first });
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
