export { InnerProductIndex, ITEM_INDEX_FILES, type InnerProductHit } from './inner-product-index';
export { PRODUCT_INDEX_FILES, ProductIndex, type ProductHit, type ProductIndexItem, type ProductIndexOptions } from './product-index';
export {
  DirectorySnapshotStore,
  loadNewestSnapshot,
  readSnapshot,
  SNAPSHOT_FORMAT,
  writeSnapshot,
  type LoadedSnapshot,
  type SnapshotManifest,
  type SnapshotStore,
} from './product-index.snapshot';
export { ProductIndexSync, type ProductIndexSyncOptions, type ProductVectorFeed, type ProductVectorPage } from './product-index.sync';
export { S3SnapshotStore, snapshotS3Client, SnapshotStoreError, type S3SnapshotLocation, type S3SnapshotStoreOptions } from './s3-snapshot-store';
export { buildSnapshot, type SnapshotBuild, type SnapshotBuildOptions } from './snapshot-builder';
export { indexSnapshotEnv, indexSnapshotSettingsCheck, indexSnapshotStore } from './snapshot-settings';
