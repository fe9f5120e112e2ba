import { CreateCatalogue1764374400000 } from './1764374400000-create-catalogue';
import { CreateProductEmbedding1764460800000 } from './1764460800000-create-product-embedding';
import { IndexProductEmbeddingFeed1764633600000 } from './1764633600000-index-product-embedding-feed';
import { ProductEmbeddingRequests1765497600000 } from './1765497600000-product-embedding-requests';
import { OutboxQueuedRuns1765584000000 } from './1765584000000-outbox-queued-runs';
import { ProductSearchTokens1765670400000 } from './1765670400000-product-search-tokens';

export const migrations = [
  CreateCatalogue1764374400000,
  CreateProductEmbedding1764460800000,
  IndexProductEmbeddingFeed1764633600000,
  ProductEmbeddingRequests1765497600000,
  OutboxQueuedRuns1765584000000,
  ProductSearchTokens1765670400000,
];
