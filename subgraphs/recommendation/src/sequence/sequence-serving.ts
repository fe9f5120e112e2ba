import fs from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES, readSequenceItems, readSequenceVectors, SequenceModelError, sequenceVersionDir, ServedVersions } from '@serendip/sequence';
import { InnerProductIndex } from '@serendip/vectors';
import type { DataSource } from 'typeorm';
import { SequenceModelStore } from './sequence-model.store';
import { logger } from '@serendip/telemetry';

export interface SequenceServingSettings {
  SEQUENCE_MODEL_DIR: string;
  SEQUENCE_MODEL_POLL_MS: number;
}

/**
 * The sequence models' item indexes for this replica: it follows the registry (the serving version
 * and those running experiments pin) and builds the index of each new version beside the loaded
 * ones (a corrupt or missing version is refused with its file named, and the previous one keeps
 * serving). Call `start()`; until a version loads, the sequence source is empty.
 */
export function sequenceServing(dataSource: DataSource, settings: SequenceServingSettings): ServedVersions<InnerProductIndex> {
  const registry = new SequenceModelStore(dataSource);
  return new ServedVersions({
    wanted: () => registry.wanted(),
    load: (version) => loadItemIndex(sequenceVersionDir(settings.SEQUENCE_MODEL_DIR, version)),
    intervalMs: settings.SEQUENCE_MODEL_POLL_MS,
    log: { info: (message) => logger().info(message), error: (message) => logger().error(message) },
  });
}

/**
 * Why an experiment arm cannot pin this version: not in the registry, or its files are gone (older
 * versions are deleted after each retrain unless an experiment pins them); null when it can.
 */
export async function unpinnableSequenceVersion(dataSource: DataSource, settings: SequenceServingSettings, version: string): Promise<string | null> {
  let dir: string;
  try {
    dir = sequenceVersionDir(settings.SEQUENCE_MODEL_DIR, version);
  } catch (error) {
    return (error as Error).message;
  }
  if (!(await new SequenceModelStore(dataSource).find(version))) return `no sequence model version ${version} was trained`;
  const present = await fs.access(path.join(dir, MODEL_FILES.items)).then(
    () => true,
    () => false,
  );
  return present ? null : `sequence model version ${version} has no files any more`;
}

/**
 * The version's item vectors indexed by product id (row 0, the padding item, is never a
 * candidate): the index its trainer saved beside them when there is one (read in about a second
 * at a million items, where building takes minutes on every replica), else built here.
 */
export async function loadItemIndex(dir: string): Promise<InnerProductIndex> {
  // The item vectors are read only to build: a saved index holds them already.
  const { card, productIds } = await readSequenceItems(dir, { requireProductIds: true });
  if (!productIds) throw new SequenceModelError(path.join(dir, MODEL_FILES.items), 'missing: a version served to shoppers must name its products');
  const saved = await InnerProductIndex.load(dir, productIds, card.dim).catch((error: unknown) => {
    logger().warn(`the item index saved in ${dir} is unusable (${(error as Error).message}): building it from the item vectors`);
    return null;
  });
  if (saved) return saved;
  const { vectors } = await readSequenceVectors(dir, { requireProductIds: true });
  return InnerProductIndex.build(productIds, vectors, card.dim, card.dim);
}
