import type { ProductText } from '@serendip/jobs';
import type { Models, ProductEmbedding } from './handler';

export async function embedProducts(products: ProductText[], { embedder }: Models): Promise<ProductEmbedding[]> {
  const vectors = await embedder.embed(products.map((product) => product.text));
  return vectors.map((vector, index) => ({ productId: products[index]!.productId, model: embedder.model, version: embedder.version, vector }));
}
