import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { logger } from '@serendip/telemetry';
import { ABANDONED_MS, assertSnapshotId, MANIFEST, parseManifest, SNAPSHOT_ID, type SnapshotManifest, type SnapshotStore } from './product-index.snapshot';

/** Where in object storage the snapshots are: `s3://<bucket>/<prefix>`, the prefix without a slash at either end ('' for the bucket's root). */
export interface S3SnapshotLocation {
  bucket: string;
  prefix: string;
}

export interface S3SnapshotStoreOptions {
  /** Keys asked for per ListObjectsV2 page; S3 answers at most 1000. @default 1000 */
  pageSize?: number;
}

/**
 * A snapshot store call that failed, naming the object or prefix (`s3://bucket/key`) and a code:
 * S3's error code (`NoSuchBucket`, `AccessDenied`, `NoSuchKey`…), the network's (`ECONNREFUSED`…),
 * `BAD_MANIFEST` for a manifest that does not parse, or `INCOMPLETE_SNAPSHOT` when a manifest
 * names files the store does not hold as it says.
 */
export class SnapshotStoreError extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${url}: ${problem}`, options);
    this.name = 'SnapshotStoreError';
  }
}

/** One object of a snapshot, as ListObjectsV2 describes it. */
interface StoredObject {
  bytes: number;
  modifiedMs: number;
}

/**
 * The client the snapshot stores use. With `endpoint`, an S3-compatible service (MinIO, Ceph,
 * s3rver) addressed by path (`<endpoint>/<bucket>/<key>`), as those serve buckets; without, Amazon
 * S3. Credentials come from the SDK's usual chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a
 * profile, a web identity token, the instance's role.
 */
export function snapshotS3Client(options: { region?: string | undefined; endpoint?: string | undefined }): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
    // The SDK's default CRC32 checksums travel as aws-chunked trailers, which S3-compatible services
    // do not all accept; the manifest's SHA-256 of every file is checked before a replica reads it.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without them a stalled connection would hold a replica's start, or a build, for good.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
  });
}

/**
 * Snapshots in an S3 bucket, each under `<prefix>/<id>/`: the index's files, then manifest.json.
 * Object storage has no rename, so a snapshot is published by uploading every file and writing the
 * manifest last: `list` trusts only ids whose manifest is there and reads, and `fetch` checks that
 * every file the manifest names is there at the size it says. Removal deletes the manifest first.
 * An id without a manifest is an upload in progress, or what a builder that died or failed to
 * publish left; `prune` removes the latter once its newest object is older than `ABANDONED_MS`. Readers download a
 * snapshot into a temporary folder (`os.tmpdir()`, so TMPDIR) and delete it on release.
 */
export class S3SnapshotStore implements SnapshotStore {
  private readonly pageSize: number;

  constructor(
    readonly client: S3Client,
    readonly location: S3SnapshotLocation,
    options: S3SnapshotStoreOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  get description(): string {
    return `s3://${this.location.bucket}${this.location.prefix === '' ? '' : `/${this.location.prefix}`}`;
  }

  async list(): Promise<SnapshotManifest[]> {
    const snapshots = await this.objectsById('');
    const manifests: SnapshotManifest[] = [];
    // Ids without a manifest are left out unremarked: a build may be uploading one right now.
    for (const id of [...snapshots.keys()]
      .filter((each) => snapshots.get(each)!.has(MANIFEST))
      .sort()
      .reverse()) {
      try {
        manifests.push(parseManifest(await this.readText(this.key(id, MANIFEST)), id));
      } catch (error) {
        logger().warn(`index snapshot ${id} in ${this.description} has no readable manifest (${(error as Error).message}); ignored`);
      }
    }
    return manifests;
  }

  async fetch(id: string): Promise<{ dir: string; release: () => Promise<void> }> {
    assertSnapshotId(id);
    const manifestKey = this.key(id, MANIFEST);
    const text = await this.readText(manifestKey);
    let manifest: SnapshotManifest;
    try {
      manifest = parseManifest(text, id);
    } catch (error) {
      throw new SnapshotStoreError(this.url(manifestKey), 'BAD_MANIFEST', `not a readable manifest (${(error as Error).message})`, { cause: error });
    }
    const held = (await this.objectsById(`${id}/`)).get(id) ?? new Map<string, StoredObject>();
    const problems = Object.entries(manifest.files).flatMap(([name, { bytes }]) => {
      const object = held.get(name);
      if (!object) return [`${name} is missing`];
      return object.bytes === bytes ? [] : [`${name} has ${object.bytes} bytes, the manifest says ${bytes}`];
    });
    if (problems.length > 0)
      throw new SnapshotStoreError(this.url(`${this.root}${id}/`), 'INCOMPLETE_SNAPSHOT', `snapshot ${id} is incomplete: ${problems.join('; ')}`);

    const dir = await mkdtemp(join(tmpdir(), `serendip-snapshot-${id}-`));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      for (const [name, { bytes }] of Object.entries(manifest.files)) {
        const key = this.key(id, name);
        await this.download(key, join(dir, name));
        const { size } = await stat(join(dir, name));
        if (size !== bytes) throw new SnapshotStoreError(this.url(key), 'INCOMPLETE_SNAPSHOT', `${size} bytes arrived, the manifest says ${bytes}`);
      }
    } catch (error) {
      await release();
      throw error;
    }
    return { dir, release };
  }

  stage(): Promise<string> {
    return mkdtemp(join(tmpdir(), 'serendip-snapshot-staged-'));
  }

  async publish(staged: string, manifest: SnapshotManifest): Promise<void> {
    assertSnapshotId(manifest.id);
    try {
      for (const name of Object.keys(manifest.files)) {
        const key = this.key(manifest.id, name);
        // In parts of 5 MiB, a few at a time: memory stays small whatever the file's size, a failed
        // part is sent again on its own, and files past a single upload's 5 GB limit fit.
        await this.call(key, 'upload', () =>
          new Upload({ client: this.client, params: { Bucket: this.location.bucket, Key: key, Body: createReadStream(join(staged, name)) } }).done(),
        );
      }
      const key = this.key(manifest.id, MANIFEST);
      await this.call(key, 'upload', () =>
        this.client.send(
          new PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: JSON.stringify(manifest, null, 2), ContentType: 'application/json' }),
        ),
      );
    } finally {
      await rm(staged, { recursive: true, force: true });
    }
  }

  async prune(keep: number): Promise<string[]> {
    const snapshots = await this.objectsById('');
    const published = [...snapshots.keys()].filter((id) => snapshots.get(id)!.has(MANIFEST));
    const removed = published.sort().reverse().slice(keep);
    const abandoned = [...snapshots].filter(
      ([, objects]) => !objects.has(MANIFEST) && Date.now() - Math.max(...[...objects.values()].map((object) => object.modifiedMs)) > ABANDONED_MS,
    );
    for (const id of removed) {
      // The manifest first: a snapshot never stays listed with some of its files gone.
      await this.delete([this.key(id, MANIFEST)]);
      await this.delete([...snapshots.get(id)!.keys()].filter((name) => name !== MANIFEST).map((name) => this.key(id, name)));
    }
    for (const [id, objects] of abandoned) await this.delete([...objects.keys()].map((name) => this.key(id, name)));
    return removed;
  }

  /** What every key of the store starts with. */
  private get root(): string {
    return this.location.prefix === '' ? '' : `${this.location.prefix}/`;
  }

  private key(id: string, name: string): string {
    return `${this.root}${id}/${name}`;
  }

  private url(key: string): string {
    return `s3://${this.location.bucket}/${key}`;
  }

  /** The objects under `<prefix>/<under>` by snapshot id and file name, every page of them. */
  private async objectsById(under: string): Promise<Map<string, Map<string, StoredObject>>> {
    const listed = `${this.root}${under}`;
    const snapshots = new Map<string, Map<string, StoredObject>>();
    let token: string | undefined;
    do {
      const page = await this.call(listed, 'list', () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: listed, MaxKeys: this.pageSize, ContinuationToken: token })),
      );
      for (const object of page.Contents ?? []) {
        const [id = '', name, ...deeper] = (object.Key ?? '').slice(this.root.length).split('/');
        if (!SNAPSHOT_ID.test(id) || name === undefined || deeper.length > 0) continue;
        const files = snapshots.get(id) ?? new Map<string, StoredObject>();
        files.set(name, { bytes: object.Size ?? 0, modifiedMs: object.LastModified?.getTime() ?? Date.now() });
        snapshots.set(id, files);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return snapshots;
  }

  private readText(key: string): Promise<string> {
    return this.call(key, 'read', async () => {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      if (!Body) throw new Error('the object came without a body');
      return Body.transformToString('utf8');
    });
  }

  /** Streams the object to `path`, never holding more than a chunk of it in memory. */
  private download(key: string, path: string): Promise<void> {
    return this.call(key, 'download', async () => {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      if (!(Body instanceof Readable)) throw new Error('the object came without a readable body');
      await pipeline(Body, createWriteStream(path));
    });
  }

  /** Deletes `keys`, a thousand (DeleteObjects' limit) at a time. */
  private async delete(keys: string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      const { Errors = [] } = await this.call(batch[0]!, 'delete', () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
      );
      const [first] = Errors;
      if (first)
        throw new SnapshotStoreError(this.url(first.Key ?? batch[0]!), first.Code ?? 'DeleteFailed', `cannot delete (${first.Message ?? 'no reason given'})`);
    }
  }

  /** Runs one call to the store; a failure becomes a `SnapshotStoreError` naming `key` and what failed, the SDK's error kept as its cause. */
  private async call<T>(key: string, action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code =
        error instanceof S3ServiceException ? error.name : ((error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.name : 'Error'));
      const detail = error instanceof Error && error.message !== '' ? error.message : 'no reason given';
      throw new SnapshotStoreError(this.url(key), code, `cannot ${action} (${code}: ${detail})`, { cause: error });
    }
  }
}
