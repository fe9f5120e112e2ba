import { requireText } from './validate';
import { cutHan } from './segmenter';

/**
 * Clause boundaries: Chinese and English sentence and clause punctuation (not 、, which joins
 * the items of one list: 颜色、尺码都很好), a '.' unless a digit follows (5.5), and whitespace between
 * two Han characters, which Chinese reviewers use as a comma (用着还行 性价比还可以).
 */
const BOUNDARY = /[。！？；，,!?;:：…\r\n~～|｜()（）【】[\]]+|\.(?!\d)|(?<=\p{Script=Han})\s+(?=\p{Script=Han})/u;

/** Jieba words that open a contrasting clause. Matching words, not substrings, spares 不但 and 但愿. */
const ZH_CONTRAST = new Set(['但', '但是', '可是', '不过', '就是', '只是', '然而', '只不过', '可惜']);
const EN_CONTRAST = /\b(?:but|however|although|though|except|whereas|unfortunately)\b/giu;
const HAS_WORD = /\p{L}/u;

function contrastOffsets(piece: string): number[] {
  const offsets: number[] = [];
  for (const run of piece.matchAll(/\p{Script=Han}+/gu)) {
    let position = run.index;
    for (const word of cutHan(run[0])) {
      if (ZH_CONTRAST.has(word) && position > 0) offsets.push(position);
      position += word.length;
    }
  }
  for (const match of piece.matchAll(EN_CONTRAST)) if (match.index > 0) offsets.push(match.index);
  return offsets.sort((a, b) => a - b);
}

/**
 * Splits a review into clauses, the unit that carries one opinion: at punctuation, and before a
 * contrast word (但/但是/可是/不过/就是/只是/然而/可惜; but/however/although/though/except/
 * whereas/unfortunately), which stays at the start of its clause. Clauses are trimmed substrings of
 * the input, so they can be quoted back as evidence; pieces without a letter (a bare list number) are dropped.
 */
export function splitClauses(text: string): string[] {
  requireText(text, 'text');
  const clauses: string[] = [];
  for (const piece of text.split(BOUNDARY)) {
    let start = 0;
    for (const offset of [...contrastOffsets(piece), piece.length]) {
      const clause = piece.slice(start, offset).trim();
      if (HAS_WORD.test(clause)) clauses.push(clause);
      start = offset;
    }
  }
  return clauses;
}
