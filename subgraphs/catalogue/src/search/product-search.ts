import { AppError, ErrorCode } from '@serendip/federation';
import { semanticUnavailable } from '../embedding/embedding.service';
import type { ProductEntity } from '../product/product.entity';
import { searchText, type SearchHit } from '../product/product.service';
import { SearchMode } from '../product/search-mode';
import { reciprocalRankFusion } from './rank-fusion';

/** Each mode's candidates fused by HYBRID: deep enough that a product both modes find in their top 50 is fused. */
export const HYBRID_CANDIDATES = 50;
/** RRF's rank constant; 60 is the published default. */
export const HYBRID_RRF_K = 60;

export interface ProductSearchHit {
  productId: string;
  /** The product's row when the lexical search read it (it saves a load). */
  product: ProductEntity | null;
  score: number;
  /** The modes whose candidates held the product. */
  matchedBy: SearchMode[];
}

export interface ProductSearchResult {
  hits: ProductSearchHit[];
  /** Why a HYBRID answer holds lexical hits only (no embedding model, or the worker pool did not answer); null otherwise. */
  degraded: string | null;
}

/**
 * searchProducts' three modes. LEXICAL reads words (FULLTEXT; substrings for Chinese), SEMANTIC
 * the query's embedding against the products' (the worker pool embeds the query), and HYBRID both,
 * fused by reciprocal rank: lexical wins on exact names and codes, semantic on descriptions and
 * synonyms, and a product both find rises above either list's own best. When the semantic side is
 * missing or fails, HYBRID answers from the lexical side and says so (`degraded`) instead of
 * failing the shopper's search.
 */
export class ProductSearch {
  constructor(
    private readonly lexical: { search(text: string, first: number): Promise<SearchHit[]> },
    private readonly semantic: { search(text: string, k: number): Promise<{ productId: string; score: number }[]> } | null,
    private readonly weights: { lexical: number; semantic: number } = { lexical: 1, semantic: 1 },
    /** A setting here so that pnpm eval:search can compare others through this very code; the served value is HYBRID_RRF_K. */
    private readonly rrfK = HYBRID_RRF_K,
  ) {}

  async search(text: string, mode: SearchMode, first: number): Promise<ProductSearchResult> {
    const query = searchText(text);
    if (mode === SearchMode.LEXICAL) return { hits: lexicalHits(await this.lexical.search(query, first)), degraded: null };
    if (mode === SearchMode.SEMANTIC) {
      if (!this.semantic) throw semanticUnavailable();
      const hits = await this.semantic.search(query, first);
      return { hits: hits.map((hit) => ({ ...hit, product: null, matchedBy: [SearchMode.SEMANTIC] })), degraded: null };
    }
    const depth = Math.max(first, HYBRID_CANDIDATES);
    const [lexical, semantic] = await Promise.all([
      this.lexical.search(query, depth),
      this.semantic
        ? this.semantic.search(query, depth).catch((error: unknown) => {
            // Only an unavailable worker pool degrades the answer; anything else is a bug to surface.
            if (error instanceof AppError && error.code === ErrorCode.Unavailable) return error;
            throw error;
          })
        : semanticUnavailable(),
    ]);
    if (semantic instanceof AppError) return { hits: lexicalHits(lexical.slice(0, first)), degraded: semantic.message };
    const rows = new Map(lexical.map((hit) => [String(hit.product.id), hit.product]));
    const fused = reciprocalRankFusion(
      [
        { name: SearchMode.LEXICAL, weight: this.weights.lexical, hits: lexical.map((hit) => ({ productId: String(hit.product.id), score: hit.score })) },
        { name: SearchMode.SEMANTIC, weight: this.weights.semantic, hits: semantic },
      ],
      this.rrfK,
    );
    return {
      hits: fused.slice(0, first).map((hit) => ({ ...hit, product: rows.get(hit.productId) ?? null, matchedBy: hit.matchedBy as SearchMode[] })),
      degraded: null,
    };
  }
}

const lexicalHits = (hits: readonly SearchHit[]): ProductSearchHit[] =>
  hits.map((hit) => ({ productId: String(hit.product.id), product: hit.product, score: hit.score, matchedBy: [SearchMode.LEXICAL] }));
