/**
 * Words that describe what a shopper looks at, for labelling interests: Latin words of three or
 * more letters that are not function words, and Chinese runs cut into overlapping two-character
 * pieces (most Chinese product words are two characters; review understanding brings proper
 * segmentation).
 */
const STOPWORDS = new Set(
  'the and for with from this that your you are was were has have had not but all any can its our out new set pack size one two per via into over off own more most such only than too very will just also each other of in on at to by or as is it be a an best free sale ounce ounces count piece pieces inch'.split(
    ' ',
  ),
);
const LATIN = /[a-z][a-z'-]{2,}/g;
const HAN = /[\u4e00-\u9fff]+/g;

export function keywordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const words = (lower.match(LATIN) ?? []).map((word) => word.replace(/^'+|'+$/g, '')).filter((word) => word.length >= 3 && !STOPWORDS.has(word));
  const han = (lower.match(HAN) ?? []).flatMap((run) =>
    run.length <= 2 ? [run] : Array.from({ length: run.length - 1 }, (_, index) => run.slice(index, index + 2)),
  );
  return [...new Set([...words, ...han])];
}
