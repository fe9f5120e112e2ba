import DataLoader from 'dataloader';
import { AppError, ErrorCode } from './errors';
import { signIdentity } from './identity';

/** What other subgraphs may learn about a product without reading the catalogue's tables. */
export interface ProductFacts {
  id: string;
  categoryId: string;
  /** The current price (the value of a purchase recorded now). */
  price: number;
}

/**
 * Asks the catalogue subgraph, through its federation `_entities` field, which products exist and
 * in which category at what price, and what categories are called. Used to validate product ids in
 * writes (reviews, events) and to name categories in labels, so a subgraph never reads another's
 * database. Calls carry a service identity signed with the gateway secret.
 */
export class CatalogueClient {
  constructor(
    private readonly url: string,
    private readonly gatewaySecret: string,
    /** How long a lookup may take before the write is refused as unavailable. @default 5000 */
    private readonly timeoutMs = 5000,
  ) {}

  async lookup(ids: readonly string[]): Promise<Map<string, ProductFacts>> {
    const entities = await this.entities<{ id: string; category: { id: string }; price: number }>('Product', ids, 'id category { id } price');
    return new Map(entities.map((entity) => [entity.id, { id: entity.id, categoryId: entity.category.id, price: entity.price }]));
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
    let body: { data?: { _entities: (T | null)[] }; errors?: unknown[] };
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'x-serendip-identity': signIdentity(this.gatewaySecret, { userId: null, roles: ['admin'] }),
        },
        body: JSON.stringify({
          query: `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on ${typename} { ${fields} } } }`,
          variables: { reps: unique.map((id) => ({ __typename: typename, id })) },
        }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as typeof body;
    } catch (error) {
      console.error('[catalogue-client] lookup failed', error);
      throw new AppError(ErrorCode.Unavailable, 'The catalogue is not answering; try again shortly');
    }
    if (!body.data) {
      console.error('[catalogue-client] lookup returned errors', body.errors);
      throw new AppError(ErrorCode.Unavailable, 'The catalogue could not look these up; try again shortly');
    }
    return body.data._entities.filter((entity): entity is T => entity !== null);
  }

  /** A per-request loader over `lookup`; unknown ids resolve to null. */
  loader(): DataLoader<string, ProductFacts | null> {
    return new DataLoader(async (ids) => {
      const found = await this.lookup(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  }
}
