import { AppError, ErrorCode, ServiceClient } from '@serendip/federation';
import { logger } from '@serendip/telemetry';

/** Products a brand or a text stands for, with weights: what `buildAudience` is given as its target. */
export interface AudienceTargets {
  brand(brand: string, first: number): Promise<Map<string, number>>;
  text(text: string, first: number): Promise<Map<string, number>>;
}

/**
 * Asks the catalogue, which owns brands and the semantic search (the worker's query embedding
 * against the product vectors): a brand's products weigh 1 each; a text's hits weigh their
 * SEMANTIC scores, so the closest products count most. The catalogue down, or its semantic side
 * (the worker), is SERVICE_UNAVAILABLE, never a partial audience.
 */
export class CatalogueAudienceTargets implements AudienceTargets {
  private readonly client: ServiceClient;

  constructor(url: string, gatewaySecret: string, timeoutMs = 10_000) {
    this.client = new ServiceClient({ caller: 'recommendation', target: 'catalogue', url, gatewaySecret, timeoutMs, description: 'audience targets' });
  }

  async brand(brand: string, first: number): Promise<Map<string, number>> {
    const data = await this.call<{ products: { nodes: { id: string }[] } }>(
      'query ($brand: String!, $first: Int!) { products(filter: { brand: $brand }, first: $first) { nodes { id } } }',
      { brand, first },
    );
    return new Map(data.products.nodes.map((node) => [node.id, 1]));
  }

  async text(text: string, first: number): Promise<Map<string, number>> {
    const data = await this.call<{ searchProducts: { product: { id: string }; score: number }[] }>(
      'query ($text: String!, $first: Int!) { searchProducts(text: $text, first: $first, mode: SEMANTIC) { product { id } score } }',
      { text, first },
    );
    return new Map(data.searchProducts.filter((hit) => hit.score > 0).map((hit) => [hit.product.id, hit.score]));
  }

  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await this.client.call<T>(query, variables);
    } catch (error) {
      logger().error({ err: error }, 'audience target lookup failed');
      throw new AppError(ErrorCode.Unavailable, 'The catalogue cannot say which products the brand or text stands for right now; try again shortly');
    }
  }
}
