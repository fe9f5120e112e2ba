import { projectPath, unsetIfEmpty, z } from '@serendip/config';
import { DirectorySnapshotStore, type SnapshotStore } from './product-index.snapshot';
import { S3SnapshotStore, snapshotS3Client, type S3SnapshotLocation } from './s3-snapshot-store';

/** S3's rule for bucket names, less the rarer refusals (an IP address, `xn--`), which S3 itself reports. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The bucket and prefix `s3://<bucket>/<prefix>` names, or what is wrong with it. */
function parseSnapshotUrl(url: string): S3SnapshotLocation | string {
  const match = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(url);
  if (!match) return 'must be s3://<bucket> or s3://<bucket>/<prefix>';
  const [, bucket = '', path = ''] = match;
  if (!BUCKET.test(bucket)) return `${JSON.stringify(bucket)} is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`;
  const prefix = path.replace(/\/+$/, '');
  if (prefix !== '' && prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `the prefix ${JSON.stringify(prefix)} has an empty, "." or ".." part`;
  }
  return { bucket, prefix };
}

/** Where the product index's snapshots are kept: read by recommendation replicas, written by `pnpm index:snapshot`. */
export const indexSnapshotEnv = {
  /**
   * Folder of the product index's snapshots, shared by the replicas and the builder (a volume
   * they all mount). Not with INDEX_SNAPSHOT_URL. Empty counts as unset. @default
   * <repo>/.run/index-snapshots/<MYSQL_DATABASE_PREFIX>, so stacks sharing a checkout (tests,
   * benchmarks) never read each other's
   */
  INDEX_SNAPSHOT_DIR: unsetIfEmpty(z.string()),
  /**
   * The snapshots in object storage instead of a folder: `s3://<bucket>/<prefix>` on Amazon S3, or
   * on an S3-compatible service with INDEX_SNAPSHOT_S3_ENDPOINT. Needs AWS_REGION; credentials
   * come from the AWS SDK's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile,
   * the pod's or instance's role). Not with INDEX_SNAPSHOT_DIR. Empty counts as unset.
   * @default unset: a folder
   */
  INDEX_SNAPSHOT_URL: unsetIfEmpty(
    z.string().transform((url, context): S3SnapshotLocation => {
      const location = parseSnapshotUrl(url);
      if (typeof location !== 'string') return location;
      context.addIssue({ code: 'custom', message: location });
      return z.NEVER;
    }),
  ),
  /**
   * The http(s) URL of an S3-compatible service (MinIO: `http://minio:9000`), which is addressed
   * path-style (`<endpoint>/<bucket>/<key>`). Empty counts as unset. @default unset: Amazon S3
   */
  INDEX_SNAPSHOT_S3_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })),
  /** The bucket's region, with INDEX_SNAPSHOT_URL (an S3-compatible service takes any, e.g. us-east-1). Empty counts as unset. */
  AWS_REGION: unsetIfEmpty(z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as eu-west-1')),
} as const;

type IndexSnapshotSettings = { [Name in keyof typeof indexSnapshotEnv]?: z.output<(typeof indexSnapshotEnv)[Name]> };

/**
 * What the settings of `indexSnapshotEnv` require of each other. A schema that spreads them adds
 * it with `.check(indexSnapshotSettingsCheck)`; it runs whenever those settings parsed, so their
 * problems are named together with the rest of the schema's.
 */
export const indexSnapshotSettingsCheck = z.superRefine<IndexSnapshotSettings>(
  (settings, context) => {
    const problem = (setting: keyof typeof indexSnapshotEnv, message: string) => context.addIssue({ code: 'custom', path: [setting], message });
    if (settings.INDEX_SNAPSHOT_URL !== undefined) {
      if (settings.INDEX_SNAPSHOT_DIR !== undefined) {
        problem('INDEX_SNAPSHOT_URL', 'set together with INDEX_SNAPSHOT_DIR: snapshots are kept in one place, a folder or object storage; unset one');
      }
      if (settings.AWS_REGION === undefined)
        problem('AWS_REGION', "required with INDEX_SNAPSHOT_URL: the bucket's region (an S3-compatible service takes any, e.g. us-east-1)");
    } else if (settings.INDEX_SNAPSHOT_S3_ENDPOINT !== undefined) {
      problem('INDEX_SNAPSHOT_S3_ENDPOINT', 'set without INDEX_SNAPSHOT_URL, which names the bucket');
    }
  },
  { when: (payload) => payload.issues.every((issue) => !(String(issue.path?.[0]) in indexSnapshotEnv)) },
);

/** The snapshot store the settings name: object storage with INDEX_SNAPSHOT_URL, else a folder. */
export function indexSnapshotStore(settings: IndexSnapshotSettings & { MYSQL_DATABASE_PREFIX: string }): SnapshotStore {
  if (settings.INDEX_SNAPSHOT_URL !== undefined) {
    return new S3SnapshotStore(snapshotS3Client({ region: settings.AWS_REGION, endpoint: settings.INDEX_SNAPSHOT_S3_ENDPOINT }), settings.INDEX_SNAPSHOT_URL);
  }
  return new DirectorySnapshotStore(settings.INDEX_SNAPSHOT_DIR ?? projectPath('.run', 'index-snapshots', settings.MYSQL_DATABASE_PREFIX));
}
