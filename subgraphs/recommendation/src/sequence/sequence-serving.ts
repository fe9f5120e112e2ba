import { readSequenceVectors, sequenceVersionDir, ServingVersion } from '@serendip/sequence';
import type { DataSource } from 'typeorm';
import { SequenceItemIndex } from './sequence-item-index';
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
): ServingVersion<SequenceItemIndex> {
  const registry = new SequenceModelStore(dataSource);
  return new ServingVersion({
    current: async () => (await registry.serving())?.version ?? null,
    load: async (version) =>
      SequenceItemIndex.build(await readSequenceVectors(sequenceVersionDir(settings.SEQUENCE_MODEL_DIR, version), { requireProductIds: true })),
    intervalMs: settings.SEQUENCE_MODEL_POLL_MS,
    log: { info: (message) => console.info(`[recommendation] ${message}`), error: (message) => console.error(`[recommendation] ${message}`) },
  });
}
