/**
 * Runs `run` over batches of at most `batchSize` texts of similar length and returns the results
 * in input order. Sorting first keeps padding (work spent on nothing) low when short and long
 * texts are mixed.
 */
export async function inLengthSortedBatches<T>(texts: string[], batchSize: number, run: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const results = new Array<T>(texts.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const batch = await run(indices.map((index) => texts[index]!));
    if (batch.length !== indices.length) throw new Error(`model returned ${batch.length} results for ${indices.length} texts`);
    indices.forEach((index, position) => {
      results[index] = batch[position]!;
    });
  }
  return results;
}
