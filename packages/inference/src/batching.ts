/**
 * Runs `run` over batches of at most `batchSize` token rows of similar length and returns the
 * results in input order. Every row of a batch is padded to its longest, so sorting by token count
 * keeps padding (work spent on nothing) low. Characters are no measure of it: a Chinese character
 * is one token, an English word of five letters often one too.
 */
export async function inLengthSortedBatches<T>(rows: number[][], batchSize: number, run: (batch: number[][]) => Promise<T[]>): Promise<T[]> {
  const order = rows.map((_, index) => index).sort((a, b) => rows[a]!.length - rows[b]!.length);
  const results = new Array<T>(rows.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const batch = await run(indices.map((index) => rows[index]!));
    if (batch.length !== indices.length) throw new Error(`model returned ${batch.length} results for ${indices.length} texts`);
    indices.forEach((index, position) => {
      results[index] = batch[position]!;
    });
  }
  return results;
}
