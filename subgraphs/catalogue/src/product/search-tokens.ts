import { searchWords } from '@serendip/text';

const HAN = /\p{Script=Han}/u;
/**
 * Put before every indexed word. InnoDB's FULLTEXT index drops words under
 * innodb_ft_min_token_size (3 by default), and most Chinese words are one or two characters (鞋,
 * 手机); with the prefix (a word character to InnoDB's parser, so each stays one token) every word
 * is indexed without a server setting, and none is an InnoDB stopword.
 */
export const TOKEN_PREFIX = 'w_';
/**
 * How often a field's words are written, so that FULLTEXT's relevance (linear in a word's count)
 * weighs a title match over a brand's over a description's, as the substring scoring does.
 */
const FIELD_REPEATS = { title: 3, brand: 2, description: 1 } as const;

/**
 * InnoDB's default innodb_ft_min_token_size: FULLTEXT over a product's fields never indexes a
 * shorter word (tv, 4k, uv), so those go to `search_tokens` as well.
 */
export const FULLTEXT_MIN_CHARACTERS = 3;

const prefixed = (word: string): string => `${TOKEN_PREFIX}${word}`;
const isShort = (word: string): boolean => [...word].length < FULLTEXT_MIN_CHARACTERS;

/**
 * What `product.search_tokens` holds for a product: the words a FULLTEXT index over its fields
 * cannot give, cut by searchWords (jieba's search mode for Han text), prefixed, each field's
 * repeated by its weight. For a product with Han characters in any field, all its words, as
 * InnoDB's parser cannot split Chinese; for any other, only its words shorter than
 * FULLTEXT_MIN_CHARACTERS, the rest being in `ft_product_text` already; null when there are none.
 */
export function productSearchTokens(fields: { title: string; brand: string | null; description: string }): string | null {
  const han = HAN.test(fields.title) || HAN.test(fields.brand ?? '') || HAN.test(fields.description);
  const parts: string[] = [];
  for (const field of ['title', 'brand', 'description'] as const) {
    const words = searchWords(fields[field] ?? '').filter((word) => han || isShort(word));
    for (let repeat = 0; repeat < FIELD_REPEATS[field]; repeat++) parts.push(...words.map(prefixed));
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

/** A query's words as `search_tokens` holds them, each once; empty when it has none worth matching. */
export function querySearchTokens(query: string): string {
  return [...new Set(searchWords(query).map(prefixed))].join(' ');
}
