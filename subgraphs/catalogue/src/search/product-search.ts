import { AppError, ErrorCode } from '@serendip/federation';
import { semanticUnavailable } from '../embedding/embedding.service';
import type { ProductEntity } from '../product/product.entity';
import { searchText, type SearchHit } from '../product/product.service';
import { SearchMode } from '../product/search-mode';
import { reciprocalRankFusion } from './rank-fusion';

/** Each mode's candidates fused by HYBRID: deep enough that a product both modes find in their top 50 is fused. */
export const HYBRID_CANDIDATES = 50;
/**
 * HYBRID's weights and RRF rank constant, chosen on the validation queries of `pnpm eval:search`
 * among lexical:semantic {4:1, 2:1, 1:1, 1:2, 1:4} × k {5, 20, 60, 120} × the semantic side with
 * or without the query's translation (SEMANTIC_TRANSLATES; docs/evaluation.md): the lexical side is
 * the stronger on known items, so it leads and semantic candidates fill in.
 */
export const HYBRID_WEIGHTS = { lexical: 2, semantic: 1 } as const;
export const HYBRID_RRF_K = 20;
/** Weight of the lexical hits of the query's translation beside its own words': below them, as a dictionary's senses are guesses. */
export const TRANSLATED_WEIGHT = 0.5;
/**
 * Whether the semantic side also embeds the query's translation and keeps each product's better
 * similarity of the two. The embedder never learnt to tie Chinese to English, so 口红's own
 * embedding lies nowhere near lipstick titles while "lipstick"'s does; both are cosines in the same
 * space, so the higher one says which wording the product answers, and a query's own language
 * keeps its hits where its translation is noise. Chosen on pnpm eval:search's validation queries.
 */
export const SEMANTIC_TRANSLATES = true;
/** A letter or a digit in any script. */
const WORD = /[\p{L}\p{N}]/u;

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
  /** Why a SEMANTIC or HYBRID answer holds lexical hits only (no embedding model, or the worker pool or its queue did not answer); null otherwise. */
  degraded: string | null;
}

/**
 * searchProducts' three modes. LEXICAL reads words (FULLTEXT; substrings for Chinese), SEMANTIC
 * the query's embedding against the products' (the worker pool embeds the query), and HYBRID both,
 * fused by reciprocal rank: lexical wins on exact names and codes, semantic on descriptions and
 * synonyms, and a product both find rises above either list's own best. When the semantic side is
 * missing or unavailable (no model, no worker answering, Redis away), SEMANTIC and HYBRID answer
 * from the lexical side within the query deadline and say so (`degraded`) instead of failing the
 * shopper's search. Lexical matching also searches the query's translation (CC-CEDICT:
 * 口红 → lipstick, refrigerator → 冰箱), fused below the query's own words, so a Chinese query finds
 * English titles and the reverse.
 */
export class ProductSearch {
  constructor(
    private readonly lexical: { search(text: string, first: number): Promise<SearchHit[]> },
    private readonly semantic: { search(text: string, k: number): Promise<{ productId: string; score: number }[]> } | null,
    private readonly options: {
      /** Each mode's weight in HYBRID's fusion. @default HYBRID_WEIGHTS */
      weights?: { lexical: number; semantic: number };
      /** RRF's rank constant; a setting so that pnpm eval:search compares others through this very code. @default HYBRID_RRF_K */
      rrfK?: number;
      /** The query in the other language (translateQuery), searched lexically beside it. @default none */
      translate?: (query: string) => string | null;
      /** Whether the semantic side searches that translation too (SEMANTIC_TRANSLATES). @default SEMANTIC_TRANSLATES */
      translateSemantic?: boolean;
    } = {},
  ) {}

  async search(text: string, mode: SearchMode, first: number): Promise<ProductSearchResult> {
    const query = searchText(text);
    // Emoji or punctuation alone name no product: nothing matches them, rather than whatever
    // their embedding happens to lie nearest.
    if (!WORD.test(query)) return { hits: [], degraded: null };
    const translated = this.options.translate?.(query) ?? null;
    if (mode === SearchMode.LEXICAL) return { hits: (await this.lexicalSearch(query, translated, first)).slice(0, first), degraded: null };
    if (mode === SearchMode.SEMANTIC) {
      const semantic = await this.semanticSearch(query, translated, first);
      if (semantic instanceof AppError) return { hits: (await this.lexicalSearch(query, translated, first)).slice(0, first), degraded: semantic.message };
      return { hits: semantic.map((hit) => ({ ...hit, product: null, matchedBy: [SearchMode.SEMANTIC] })), degraded: null };
    }
    const depth = Math.max(first, HYBRID_CANDIDATES);
    const [lexical, semantic] = await Promise.all([this.lexicalSearch(query, translated, depth), this.semanticSearch(query, translated, depth)]);
    if (semantic instanceof AppError) return { hits: lexical.slice(0, first), degraded: semantic.message };
    const rows = new Map(lexical.map((hit) => [hit.productId, hit.product]));
    const fused = reciprocalRankFusion(
      [
        { name: SearchMode.LEXICAL, weight: (this.options.weights ?? HYBRID_WEIGHTS).lexical, hits: lexical },
        { name: SearchMode.SEMANTIC, weight: (this.options.weights ?? HYBRID_WEIGHTS).semantic, hits: semantic },
      ],
      this.options.rrfK ?? HYBRID_RRF_K,
    );
    return {
      hits: fused.slice(0, first).map((hit) => ({ ...hit, product: rows.get(hit.productId) ?? null, matchedBy: hit.matchedBy as SearchMode[] })),
      degraded: null,
    };
  }

  /** The semantic side's hits (with the translation's where SEMANTIC_TRANSLATES), or the coded error that says why there are none (the answer then degrades). */
  private async semanticSearch(query: string, translated: string | null, k: number): Promise<{ productId: string; score: number }[] | AppError> {
    const semantic = this.semantic;
    if (!semantic) return semanticUnavailable();
    const search = async () => {
      if (!translated || !(this.options.translateSemantic ?? SEMANTIC_TRANSLATES)) return semantic.search(query, k);
      const [own, other] = await Promise.all([semantic.search(query, k), semantic.search(translated, k)]);
      const best = new Map<string, number>();
      for (const hit of [...own, ...other]) best.set(hit.productId, Math.max(best.get(hit.productId) ?? -Infinity, hit.score));
      return [...best]
        .map(([productId, score]) => ({ productId, score }))
        .sort((x, y) => y.score - x.score)
        .slice(0, k);
    };
    return search().catch((error: unknown) => {
      // Only an unavailable worker pool degrades the answer; anything else is a bug to surface.
      if (error instanceof AppError && error.code === ErrorCode.Unavailable) return error;
      throw error;
    });
  }

  /** The query's words, and its translation's below them when it has one (one list, best first). */
  private async lexicalSearch(query: string, translated: string | null, depth: number): Promise<ProductSearchHit[]> {
    const [own, other] = await Promise.all([this.lexical.search(query, depth), translated ? this.lexical.search(translated, depth) : []]);
    if (other.length === 0) return lexicalHits(own);
    const rows = new Map([...other, ...own].map((hit) => [String(hit.product.id), hit.product]));
    const fused = reciprocalRankFusion(
      [
        { name: 'own', weight: 1, hits: lexicalHits(own) },
        { name: 'translated', weight: TRANSLATED_WEIGHT, hits: lexicalHits(other) },
      ],
      HYBRID_RRF_K,
    );
    return fused.map((hit) => ({ productId: hit.productId, product: rows.get(hit.productId) ?? null, score: hit.score, matchedBy: [SearchMode.LEXICAL] }));
  }
}

const lexicalHits = (hits: readonly SearchHit[]): ProductSearchHit[] =>
  hits.map((hit) => ({ productId: String(hit.product.id), product: hit.product, score: hit.score, matchedBy: [SearchMode.LEXICAL] }));
