import { registerEnumType } from 'type-graphql';

export enum SearchMode {
  /** Words in title, brand and description (FULLTEXT; Chinese cut into words by jieba). */
  LEXICAL = 'LEXICAL',
  /** Meaning: the query's embedding against product embeddings, so "moisturiser" finds "face cream". */
  SEMANTIC = 'SEMANTIC',
  /** Both, fused by HYBRID_FUSION (search/product-search.ts). SEMANTIC and HYBRID answer lexically (and say so) when the semantic side is unavailable. */
  HYBRID = 'HYBRID',
}

registerEnumType(SearchMode, { name: 'SearchMode', description: 'How searchProducts matches text to products.' });
