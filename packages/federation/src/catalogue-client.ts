import DataLoader from 'dataloader';
import { AppError, ErrorCode } from './errors';
import type { SubgraphName } from './identity';
import { ServiceClient } from './service-client';
import { logger } from '@serendip/telemetry';

/** What other subgraphs may learn about a product without reading the catalogue's tables. */
export interface ProductFacts {
  id: string;
  categoryId: string;
}

/** Products per price lookup: a refit may ask for every product shoppers touched, each call stays small. */
const PRICE_CHUNK = 1000;

/**
 * Asks the catalogue subgraph, through its federation `_entities` field, which products exist and
 * in which category, what they cost and what categories are called. Used to validate product ids in
 * writes (reviews, events) and to name categories in labels, so a subgraph never reads another's
 * database. Calls go through `ServiceClient`, signed as a service.
 */
export class CatalogueClient {
  private readonly client: ServiceClient;

  constructor(
    /** The subgraph asking. */
    caller: SubgraphName,
    url: string,
    gatewaySecret: string,
    /** How long a lookup may take before the write is refused as unavailable. @default 5000 */
    timeoutMs = 5000,
  ) {
    this.client = new ServiceClient({ caller, target: 'catalogue', url, gatewaySecret, timeoutMs });
  }

  async lookup(ids: readonly string[]): Promise<Map<string, ProductFacts>> {
    const entities = await this.entities<{ id: string; category: { id: string } }>('Product', ids, 'id category { id }');
    return new Map(entities.map((entity) => [entity.id, { id: entity.id, categoryId: entity.category.id }]));
  }

  /** Prices by product id (segments' spend and price level), asked in chunks; unknown ids are left out. */
  async prices(ids: readonly string[]): Promise<Map<string, number>> {
    const unique = [...new Set(ids)];
    const prices = new Map<string, number>();
    for (let start = 0; start < unique.length; start += PRICE_CHUNK) {
      const entities = await this.entities<{ id: string; price: number }>('Product', unique.slice(start, start + PRICE_CHUNK), 'id price');
      for (const entity of entities) prices.set(entity.id, entity.price);
    }
    return prices;
  }

  /** Category names by id, for labels other subgraphs show; unknown ids are left out. */
  async categoryNames(ids: readonly string[]): Promise<Map<string, string>> {
    const entities = await this.entities<{ id: string; name: string }>('Category', ids, 'id name');
    return new Map(entities.map((entity) => [entity.id, entity.name]));
  }

  /** The catalogue's `_entities` for these ids of one type; ids it does not know are dropped. */
  private async entities<T>(typename: 'Product' | 'Category', ids: readonly string[], fields: string): Promise<T[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    let data: { _entities: (T | null)[] };
    try {
      data = await this.client.call(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${fields} } } }`, {
        reps: unique.map((id) => ({ __typename: typename, id })),
      });
    } catch (error) {
      // The reason (an HTTP status, a refusal) is for the logs; the shopper whose write it was gets a neutral answer.
      logger().error({ err: error }, 'catalogue lookup failed');
      throw new AppError(ErrorCode.Unavailable, 'The catalogue is not answering; try again shortly');
    }
    return data._entities.filter((entity): entity is T => entity !== null);
  }

  /** A per-request loader over `lookup`; unknown ids resolve to null. */
  loader(): DataLoader<string, ProductFacts | null> {
    return new DataLoader(async (ids) => {
      const found = await this.lookup(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }
}
