import { AppError, ErrorCode } from '@serendip/federation';
import { semanticUnavailable } from '../embedding/embedding.service';
import type { ProductEntity } from '../product/product.entity';
import { searchText, type SearchHit } from '../product/product.service';
import { SearchMode } from '../product/search-mode';
import { convexCombination, reciprocalRankFusion, relativeToBest, type WeightedList } from './rank-fusion';

/** Each mode's candidates fused by HYBRID: deep enough that a product both modes find in their top 50 is fused. */
export const HYBRID_CANDIDATES = 50;

/**
 * How HYBRID fuses the two modes' candidates. `convex`: lexical × relevance over the best lexical
 * hit + (1 − lexical) × cosine, so how closely a product matches counts, not only its rank; `rrf`:
 * reciprocal rank with a weight per mode and the rank constant k.
 */
export type HybridFusion = { kind: 'convex'; lexical: number } | { kind: 'rrf'; lexical: number; semantic: number; k: number };

/**
 * HYBRID's fusion, chosen on the validation queries of `pnpm eval:search` among the convex
 * combination with lexical weights {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95} and reciprocal rank
 * with lexical:semantic {4:1, 2:1, 1:1, 1:2, 1:4} × k {5, 20, 60, 120}, each with and without the
 * query's translation on the semantic side (SEMANTIC_TRANSLATES; docs/evaluation.md). A heavy
 * lexical weight: matching words is the stronger signal on known items, and among products whose
 * words match about equally well the closer meaning decides, while a product no word matches
 * enters on its meaning alone below the good word matches.
 */
export const HYBRID_FUSION: HybridFusion = { kind: 'convex', lexical: 0.8 };
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
 * searchProducts' three modes. LEXICAL reads words (FULLTEXT; jieba words for Chinese), SEMANTIC
 * the query's embedding against the products' (the worker pool embeds the query), and HYBRID both,
 * fused as HYBRID_FUSION says: lexical wins on exact names and codes, semantic on descriptions and
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
      /** HYBRID's fusion; a setting so that pnpm eval:search compares others through this very code. @default HYBRID_FUSION */
      fusion?: HybridFusion;
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
    const fused = fuseModes(lexical, semantic, this.options.fusion ?? HYBRID_FUSION);
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

  /**
   * The query's words, and its translation's below them when it has one: one list, best first, each
   * hit scored by its relevance over its own list's best (FULLTEXT relevance has no fixed scale),
   * the translation's at TRANSLATED_WEIGHT, a product both hold at their sum.
   */
  private async lexicalSearch(query: string, translated: string | null, depth: number): Promise<ProductSearchHit[]> {
    const [own, other] = await Promise.all([this.lexical.search(query, depth), translated ? this.lexical.search(translated, depth) : []]);
    // Best first already (FULLTEXT's order): nothing to fuse.
    if (other.length === 0) return relativeToBest(lexicalHits(own));
    const rows = new Map([...other, ...own].map((hit) => [String(hit.product.id), hit.product]));
    const fused = convexCombination([
      { name: 'own', weight: 1, hits: relativeToBest(lexicalHits(own)) },
      { name: 'translated', weight: TRANSLATED_WEIGHT, hits: relativeToBest(lexicalHits(other)) },
    ]);
    return fused.map((hit) => ({ productId: hit.productId, product: rows.get(hit.productId) ?? null, score: hit.score, matchedBy: [SearchMode.LEXICAL] }));
  }
}

/** HYBRID's fused list: the lexical hits' relevance (over the best) and the semantic hits' cosine, or their ranks, as `fusion` says. */
function fuseModes(lexical: readonly ProductSearchHit[], semantic: readonly { productId: string; score: number }[], fusion: HybridFusion) {
  const lists = (lexicalWeight: number, semanticWeight: number): WeightedList[] => [
    { name: SearchMode.LEXICAL, weight: lexicalWeight, hits: lexical },
    { name: SearchMode.SEMANTIC, weight: semanticWeight, hits: semantic },
  ];
  return fusion.kind === 'convex'
    ? convexCombination(lists(fusion.lexical, 1 - fusion.lexical))
    : reciprocalRankFusion(lists(fusion.lexical, fusion.semantic), fusion.k);
}

const lexicalHits = (hits: readonly SearchHit[]): ProductSearchHit[] =>
  hits.map((hit) => ({ productId: String(hit.product.id), product: hit.product, score: hit.score, matchedBy: [SearchMode.LEXICAL] }));
