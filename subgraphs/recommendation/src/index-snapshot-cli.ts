/**
 * `pnpm index:snapshot`: writes a snapshot of the product index for recommendation replicas to
 * start from (docs/operations.md "Index snapshots"). It reads the catalogue's productVectorFeed as
 * a replica does, from the newest snapshot of the served embedding model on (or from the start
 * when there is none), and publishes a new snapshot when the feed has moved; then it keeps the
 * newest INDEX_SNAPSHOT_KEEP. Run it on a schedule (cron, a Kubernetes CronJob) beside the
 * replicas, and after a model change's re-embedding. Progress on stderr (the index sync's lines);
 * one JSON line on stdout.
 *
 * Settings: CATALOGUE_URL, GATEWAY_SECRET (it signs a service identity, as a replica does),
 * INDEX_SNAPSHOT_DIR or INDEX_SNAPSHOT_URL (with AWS_REGION, INDEX_SNAPSHOT_S3_ENDPOINT),
 * INDEX_SNAPSHOT_KEEP, MYSQL_DATABASE_PREFIX (the default folder's name).
 * Exit codes: 0 written or already up to date, 1 failure (the catalogue did not answer, the feed
 * is empty, the store cannot be written), 64 bad usage, 78 bad configuration.
 */
import { ConfigError, loadConfig } from '@serendip/config';
import { buildSnapshot, indexSnapshotStore } from '@serendip/vectors';
import { ProductVectorFeedClient } from './candidates/product-vector-feed.client';
import { indexSnapshotConfigSchema } from './config';

const NAME = 'index:snapshot';
const EX_USAGE = 64;
const EX_CONFIG = 78;

async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(
      'usage: pnpm index:snapshot (settings from the environment: CATALOGUE_URL, GATEWAY_SECRET, INDEX_SNAPSHOT_DIR or INDEX_SNAPSHOT_URL, INDEX_SNAPSHOT_KEEP)',
    );
    return EX_USAGE;
  }
  try {
    const settings = loadConfig(NAME, indexSnapshotConfigSchema);
    const store = indexSnapshotStore(settings);
    console.error(`${NAME}: reading ${settings.CATALOGUE_URL}'s vector feed into ${store.description}`);
    const build = await buildSnapshot(new ProductVectorFeedClient(settings.CATALOGUE_URL, settings.GATEWAY_SECRET), store, {
      keep: settings.INDEX_SNAPSHOT_KEEP,
    });
    const { manifest } = build;
    console.log(
      JSON.stringify({
        snapshot: manifest.id,
        written: build.written,
        products: manifest.products,
        dimension: manifest.dimension,
        embedding_model: manifest.embeddingModel,
        started_from: build.startedFrom,
        vectors_applied: build.applied,
        bytes: Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0),
        removed: build.removed,
        seconds: Number((build.ms / 1000).toFixed(1)),
      }),
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EX_CONFIG;
    }
    console.error(`${NAME}: failed:`, error instanceof Error ? error.message : error);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
