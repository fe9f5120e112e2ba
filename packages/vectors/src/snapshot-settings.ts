import { projectPath, z } from '@serendip/config';
import { DirectorySnapshotStore, type SnapshotStore } from './product-index.snapshot';

/** Where the product index's snapshots are kept: read by recommendation replicas, written by `pnpm index:snapshot`. */
export const indexSnapshotEnv = {
  /**
   * Folder of the product index's snapshots, shared by the replicas and the builder (a volume
   * they all mount). Empty counts as unset. @default <repo>/.run/index-snapshots/<MYSQL_DATABASE_PREFIX>,
   * so stacks sharing a checkout (tests, benchmarks) never read each other's
   */
  INDEX_SNAPSHOT_DIR: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
} as const;

/** The snapshot store the settings name. */
export function indexSnapshotStore(settings: { INDEX_SNAPSHOT_DIR?: string | undefined; MYSQL_DATABASE_PREFIX: string }): SnapshotStore {
  return new DirectorySnapshotStore(settings.INDEX_SNAPSHOT_DIR ?? projectPath('.run', 'index-snapshots', settings.MYSQL_DATABASE_PREFIX));
}
