/**
 * Writes CC-CEDICT's word/sense pairs as TSV (`chinese<TAB>english`, one pair a line) for the
 * embedder's bilingual training source (finetune_embedding.py). The dictionary is read and its
 * senses cleaned by @serendip/text, the same code that translates search queries, so training
 * and serving agree on what a sense is; each word keeps its first senses, as translation does.
 *
 *   pnpm -s tsx models/training/bilingual-pairs.ts <out.tsv>
 */
import { writeFileSync } from 'node:fs';
import { cedict } from '@serendip/text';

/** Senses kept per word: the dictionary lists a word's main senses first. */
const SENSES_PER_WORD = 3;

const out = process.argv[2];
if (!out) {
  console.error('usage: bilingual-pairs.ts <out.tsv>');
  process.exit(2);
}
const lines: string[] = [];
for (const [chinese, senses] of cedict().english) {
  for (const sense of senses.slice(0, SENSES_PER_WORD)) lines.push(`${chinese}\t${sense}`);
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`[bilingual-pairs] ${lines.length} pairs of ${cedict().english.size} words -> ${out}`);
