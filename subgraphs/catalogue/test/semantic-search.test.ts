import { encodeVector, type EmbedTextResult } from '@serendip/jobs';
import type { ProductVectorFeed } from '@serendip/vectors';
import { SemanticSearch } from '../src/embedding/semantic-search';

const MODEL = { model: 'embed', version: '1.0.0' };
const axis = (index: number) => Float32Array.from({ length: 4 }, (_, i) => (i === index ? 1 : 0));

/** Two products, one on each of the first two axes, as the catalogue's feed would serve them. */
const feed: ProductVectorFeed = {
  page: async () => ({
    embeddingModel: `${MODEL.model}@${MODEL.version}`,
    items: [0, 1].map((index) => ({ productId: String(index + 1), categoryId: 'c1', createdAt: new Date(0), vector: axis(index) })),
    hasNextPage: false,
    endCursor: '2',
  }),
};

async function searchWith(result: EmbedTextResult): Promise<{ productId: string; score: number }[]> {
  const search = new SemanticSearch(feed, { embedQuery: async () => result }, { refreshMs: 2 ** 31 - 1 });
  try {
    await search.ready;
    return await search.search('running shoes', 1);
  } finally {
    await search.stop();
  }
}

describe('SemanticSearch', () => {
  it('searches with the encoded query embedding of the worker pool', async () => {
    expect(await searchWith({ embedding: encodeVector(axis(1)), ...MODEL })).toEqual([{ productId: '2', score: expect.closeTo(1, 5) }]);
  });

  it('searches with the number array of a result an older worker left in Redis', async () => {
    const legacy = JSON.parse(JSON.stringify({ embedding: Array.from(axis(0)), ...MODEL })) as EmbedTextResult;
    expect(await searchWith(legacy)).toEqual([{ productId: '1', score: expect.closeTo(1, 5) }]);
  });
});
