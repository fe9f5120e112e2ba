/**
 * The two Amazon sequence data sets under SERENDIP_DATA_DIR as ordered item lists per user, read
 * the same way by every evaluation that uses them (pnpm eval:topn, pnpm eval:bandit). Item ids
 * start at 1, so slot 0 of an array indexed by item stays empty.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Sequence {
  user: number;
  /** In time order. */
  items: number[];
}

/** The rows of a tab-separated file with a header line, blank lines dropped. */
export const tsvRows = (file: string): string[][] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));

/** amazon_beauty_s3rec/Beauty.txt: `user item item …` per line, items in time order (SOURCE.md). */
export function beautySequences(dataDir: string): Sequence[] {
  return fs
    .readFileSync(path.join(dataDir, 'amazon_beauty_s3rec', 'Beauty.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [user, ...items] = line.trim().split(/\s+/).map(Number);
      return { user: user!, items };
    });
}

/**
 * amazon_games_llmrank/Games.test.inter: `user<TAB>history<TAB>target` per line (SOURCE.md), the
 * whole sequence being history then target. Ids are shifted by one so that 0 stays the empty slot.
 */
export function gamesSequences(dataDir: string): Sequence[] {
  return tsvRows(path.join(dataDir, 'amazon_games_llmrank', 'Games.test.inter')).map(([user, history, target]) => ({
    user: Number(user),
    items: [
      ...history!
        .trim()
        .split(/\s+/)
        .map((id) => Number(id) + 1),
      Number(target) + 1,
    ],
  }));
}
