import path from 'node:path';
import { MODEL_FILES, readSequenceVectors, SequenceModelError, sequenceVersionDir, ServingVersion } from '@serendip/sequence';
import { InnerProductIndex } from '@serendip/vectors';
import type { DataSource } from 'typeorm';
import { SequenceModelStore } from './sequence-model.store';

/**
 * The serving sequence model's item index for this replica: it follows the registry and builds
 * the index of each new version beside the old one (a corrupt or missing version is refused with
 * its file named, and the previous one keeps serving). Call `start()`; until a version loads, the
 * sequence source is empty.
 */
export function sequenceServing(
  dataSource: DataSource,
  settings: { SEQUENCE_MODEL_DIR: string; SEQUENCE_MODEL_POLL_MS: number },
): ServingVersion<InnerProductIndex> {
  const registry = new SequenceModelStore(dataSource);
  return new ServingVersion({
    current: async () => (await registry.serving())?.version ?? null,
    load: (version) => loadItemIndex(sequenceVersionDir(settings.SEQUENCE_MODEL_DIR, version)),
    intervalMs: settings.SEQUENCE_MODEL_POLL_MS,
    log: { info: (message) => console.info(`[recommendation] ${message}`), error: (message) => console.error(`[recommendation] ${message}`) },
  });
}

/** The version's item vectors indexed by product id (row 0, the padding item, is never a candidate). */
async function loadItemIndex(dir: string): Promise<InnerProductIndex> {
  const { card, vectors, productIds } = await readSequenceVectors(dir, { requireProductIds: true });
  if (!productIds) throw new SequenceModelError(path.join(dir, MODEL_FILES.items), 'missing: a version served to shoppers must name its products');
  return InnerProductIndex.build(productIds, vectors, card.dim, card.dim);
}
