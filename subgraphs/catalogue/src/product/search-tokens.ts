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

const tokens = (text: string): string[] => searchWords(text).map((word) => `${TOKEN_PREFIX}${word}`);

/**
 * What `product.search_tokens` holds for a product: its words cut by jieba in search mode
 * (searchWords), prefixed, each field's repeated by its weight; null when no field has Han
 * characters, whose text FULLTEXT over title, brand and description already reads word by word.
 */
export function productSearchTokens(fields: { title: string; brand: string | null; description: string }): string | null {
  if (!HAN.test(fields.title) && !HAN.test(fields.brand ?? '') && !HAN.test(fields.description)) return null;
  const parts: string[] = [];
  for (const field of ['title', 'brand', 'description'] as const) {
    const words = tokens(fields[field] ?? '');
    for (let repeat = 0; repeat < FIELD_REPEATS[field]; repeat++) parts.push(...words);
  }
  return parts.join(' ');
}

/** A query's words as `search_tokens` holds them, each once; empty when it has none worth matching. */
export function querySearchTokens(query: string): string {
  return [...new Set(tokens(query))].join(' ');
}
