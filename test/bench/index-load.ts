/**
 * The child process of pnpm bench:index: reads the newest snapshot in the snapshot folder argv[3]
 * with the vectors package of the checkout at argv[2] (this one or a baseline), as a replica does
 * (sizes and checksums checked), and prints one JSON line: load time; this process's RSS before
 * and after, garbage collected and settled each time (run with --expose-gc), so the difference is
 * what the loaded index holds; its RSS the moment the load returned, as a replica holds it when it
 * reports ready; and its peak RSS, which a container's memory limit must allow.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as Vectors from '@serendip/vectors';
import { memoryOf } from './memory';

const MIB = 1024 * 1024;

/**
 * This process's RSS once garbage is gone: V8 frees a dead ArrayBuffer's memory on a background
 * sweep after the collection that found it, so a read right after gc() still counts the file
 * buffers a load read through; two collections a second apart let the sweep finish.
 */
async function settledRss(): Promise<number> {
  // gc is there because the parent starts this process with --expose-gc.
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let pass = 0; pass < 2; pass += 1) {
    gc();
    await new Promise((done) => setTimeout(done, 1000));
  }
  return (await memoryOf(process.pid)).rssMb;
}

async function main(): Promise<void> {
  const [root, dir] = process.argv.slice(2);
  if (!root || !dir) throw new Error('usage: index-load.ts <checkout> <snapshot store folder>');
  const vectors = (await import(resolve(root, 'packages/vectors/src/index.ts'))) as typeof Vectors;
  const store = new vectors.DirectorySnapshotStore(dir);
  const [manifest] = await store.list();
  if (!manifest) throw new Error(`no snapshot in ${dir}`);
  const before = await settledRss();
  const started = performance.now();
  const index = await vectors.readSnapshot(store, manifest);
  const loadS = (performance.now() - started) / 1000;
  const loaded = await memoryOf(process.pid);
  const after = await settledRss();
  // A search and a read, so a lazily loaded index would be counted in full.
  const first = index.newest(1)[0]!;
  if (index.search(index.vectorOf(first)!, 1)[0]?.productId !== first) throw new Error('the loaded index does not find its own product');
  console.log(
    JSON.stringify({
      products: index.size,
      loadS,
      rssBeforeMb: before,
      rssLoadedMb: loaded.rssMb,
      peakMb: loaded.peakMb,
      rssAfterMb: after,
      heapMb: process.memoryUsage().heapUsed / MIB,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
