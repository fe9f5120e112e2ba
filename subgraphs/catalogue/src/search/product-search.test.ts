import { AppError, ErrorCode } from '@serendip/federation';
import type { ProductEntity } from '../product/product.entity';
import { SearchMode } from '../product/search-mode';
import { HYBRID_FUSION, ProductSearch, type HybridFusion } from './product-search';

const row = (id: string) => ({ id }) as unknown as ProductEntity;
const lexical = {
  search: async (_text: string, first: number) => ['1', '2', '3'].slice(0, first).map((id, index) => ({ product: row(id), score: 10 - index })),
};
const semantic = (ids: string[]) => ({
  search: async (_text: string, k: number) => ids.slice(0, k).map((productId, index) => ({ productId, score: 0.9 - index / 10 })),
});
const unavailable = {
  search: async () => {
    throw new AppError(ErrorCode.Unavailable, 'Semantic search is not available right now; try lexical search');
  },
};

describe('ProductSearch', () => {
  it('HYBRID fuses both modes by reciprocal rank when told to, and says which found each product', async () => {
    const equal: HybridFusion = { kind: 'rrf', lexical: 1, semantic: 1, k: 60 };
    const result = await new ProductSearch(lexical, semantic(['9', '2']), { fusion: equal }).search('  face cream ', SearchMode.HYBRID, 3);
    expect(result.degraded).toBeNull();
    expect(result.hits.map((hit) => [hit.productId, hit.matchedBy])).toEqual([
      ['2', [SearchMode.LEXICAL, SearchMode.SEMANTIC]],
      ['1', [SearchMode.LEXICAL]],
      ['9', [SearchMode.SEMANTIC]],
    ]);
    // Lexical rows come with the hit; semantic-only ones are loaded by the resolver.
    expect(result.hits.map((hit) => hit.product?.id ?? null)).toEqual(['2', '1', null]);
    // Weights and the rank constant: with k 20, '2' (1/22 + 3/22) stays ahead of '9' (3/21); with k 1, '9' (3/2) passes '2' (1/3 + 3/3).
    const ids = async (fusion: HybridFusion) =>
      (await new ProductSearch(lexical, semantic(['9', '2']), { fusion }).search('face cream', SearchMode.HYBRID, 3)).hits.map((hit) => hit.productId);
    expect(await ids({ kind: 'rrf', lexical: 1, semantic: 3, k: 20 })).toEqual(['2', '9', '1']);
    expect(await ids({ kind: 'rrf', lexical: 1, semantic: 3, k: 1 })).toEqual(['9', '2', '1']);
  });

  it('HYBRID as served adds the lexical relevance over the best hit and the cosine, by HYBRID_FUSION', async () => {
    expect(HYBRID_FUSION).toEqual({ kind: 'convex', lexical: 0.8 });
    // Lexical relevance 10, 9, 3 → 1, 0.9, 0.3; cosines '9' 0.9, '2' 0.8, '3' 0.7.
    const words = { search: async () => [10, 9, 3].map((score, index) => ({ product: row(String(index + 1)), score })) };
    const result = await new ProductSearch(words, semantic(['9', '2', '3'])).search('face cream', SearchMode.HYBRID, 4);
    const expected = [
      ['2', 0.8 * 0.9 + 0.2 * 0.8, [SearchMode.LEXICAL, SearchMode.SEMANTIC]],
      ['1', 0.8 * 1, [SearchMode.LEXICAL]],
      ['3', 0.8 * 0.3 + 0.2 * 0.7, [SearchMode.LEXICAL, SearchMode.SEMANTIC]],
      ['9', 0.2 * 0.9, [SearchMode.SEMANTIC]],
    ];
    expect(result.hits.map((hit) => [hit.productId, hit.score, hit.matchedBy])).toEqual(
      expected.map(([id, score, by]) => [id, expect.closeTo(score as number, 10), by]),
    );
    // A near tie in words is settled by meaning, a wide gap is not; fused by rank alone, '3' (in both
    // lists, far below '1' in words) passes '1' (1/23 + 1/23 against 1/21).
    const byRank = new ProductSearch(words, semantic(['9', '2', '3']), { fusion: { kind: 'rrf', lexical: 1, semantic: 1, k: 20 } });
    expect((await byRank.search('face cream', SearchMode.HYBRID, 4)).hits.map((hit) => hit.productId)).toEqual(['2', '3', '1', '9']);
  });

  it('SEMANTIC and HYBRID answer lexically, and say why, when the worker pool is unavailable or no model is configured', async () => {
    for (const mode of [SearchMode.SEMANTIC, SearchMode.HYBRID]) {
      for (const side of [unavailable, null]) {
        const result = await new ProductSearch(lexical, side).search('face cream', mode, 2);
        expect(result.hits.map((hit) => [hit.productId, hit.matchedBy])).toEqual([
          ['1', [SearchMode.LEXICAL]],
          ['2', [SearchMode.LEXICAL]],
        ]);
        expect(result.degraded).toMatch(/^Semantic search is not/);
      }
    }
  });

  it('fails on a semantic side that breaks other than by being unavailable, and on a bad query in every mode', async () => {
    const broken = { search: async () => Promise.reject(new Error('a bug')) };
    for (const mode of [SearchMode.SEMANTIC, SearchMode.HYBRID]) await expect(new ProductSearch(lexical, broken).search('x', mode, 5)).rejects.toThrow('a bug');
    for (const mode of [SearchMode.LEXICAL, SearchMode.SEMANTIC, SearchMode.HYBRID]) {
      await expect(new ProductSearch(lexical, semantic([])).search('   ', mode, 5)).rejects.toMatchObject({ code: ErrorCode.BadUserInput });
    }
  });

  it('answers emoji or punctuation alone with no products, in every mode', async () => {
    for (const mode of [SearchMode.LEXICAL, SearchMode.SEMANTIC, SearchMode.HYBRID]) {
      expect(await new ProductSearch(lexical, semantic(['9'])).search('🎁🎄 !!', mode, 5)).toEqual({ hits: [], degraded: null });
    }
    expect((await new ProductSearch(lexical, semantic([])).search('口红', SearchMode.LEXICAL, 5)).hits).toHaveLength(3);
  });

  it("also searches the query's translation lexically, below its own words", async () => {
    const byText = {
      search: async (text: string) => (text === 'lipstick' ? [{ product: row('7'), score: 5 }] : text === '口红' ? [{ product: row('8'), score: 9 }] : []),
    };
    const translate = (query: string) => (query === '口红' ? 'lipstick' : null);
    const lexicalOnly = await new ProductSearch(byText, null, { translate }).search('口红', SearchMode.LEXICAL, 5);
    expect(lexicalOnly.hits.map((hit) => [hit.productId, hit.matchedBy])).toEqual([
      ['8', [SearchMode.LEXICAL]],
      ['7', [SearchMode.LEXICAL]],
    ]);
    const hybrid = await new ProductSearch(byText, semantic(['7']), { translate }).search('口红', SearchMode.HYBRID, 5);
    // '8' holds the query's own words (0.8 × 1), '7' its translation's (0.8 × 0.5) and the closer meaning (0.2 × 0.9).
    expect(hybrid.hits.map((hit) => [hit.productId, hit.matchedBy])).toEqual([
      ['8', [SearchMode.LEXICAL]],
      ['7', [SearchMode.LEXICAL, SearchMode.SEMANTIC]],
    ]);
  });

  it("searches the query's translation semantically too, keeping each product's better similarity", async () => {
    const asked: string[] = [];
    const byText = {
      search: async (text: string, k: number) => {
        asked.push(text);
        const hits: Record<string, { productId: string; score: number }[]> = {
          口红: [{ productId: '5', score: 0.3 }],
          lipstick: [
            { productId: '7', score: 0.8 },
            { productId: '5', score: 0.2 },
          ],
          'face cream': [{ productId: '6', score: 0.7 }],
        };
        return (hits[text] ?? []).slice(0, k);
      },
    };
    const translate = (query: string) => (query === '口红' ? 'lipstick' : null);
    const ids = async (search: ProductSearch, query: string) =>
      (await search.search(query, SearchMode.SEMANTIC, 5)).hits.map((hit) => [hit.productId, hit.score]);
    expect(await ids(new ProductSearch(lexical, byText, { translate }), '口红')).toEqual([
      ['7', 0.8],
      ['5', 0.3],
    ]);
    expect(asked.sort()).toEqual(['lipstick', '口红']);
    // Without a translation, and with the translation off, the query alone is embedded.
    asked.length = 0;
    expect(await ids(new ProductSearch(lexical, byText, { translate }), 'face cream')).toEqual([['6', 0.7]]);
    expect(await ids(new ProductSearch(lexical, byText, { translate, translateSemantic: false }), '口红')).toEqual([['5', 0.3]]);
    expect(asked).toEqual(['face cream', '口红']);
  });

  it('lets other semantic failures through instead of hiding a bug behind lexical results', async () => {
    const broken = {
      search: async () => {
        throw new TypeError('index corrupt');
      },
    };
    await expect(new ProductSearch(lexical, broken).search('x', SearchMode.HYBRID, 5)).rejects.toThrow('index corrupt');
  });
});
