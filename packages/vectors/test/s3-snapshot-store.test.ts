import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { commonEnv, loadConfig, projectPath, z } from '@serendip/config';
import { logger } from '@serendip/telemetry';
import { freePort, ScratchS3 } from '@serendip/testing';
import { useScratchS3 } from './support/scratch-s3';
import {
  DirectorySnapshotStore,
  indexSnapshotEnv,
  indexSnapshotSettingsCheck,
  indexSnapshotStore,
  loadNewestSnapshot,
  S3SnapshotStore,
  SNAPSHOT_FORMAT,
  snapshotS3Client,
  SnapshotStoreError,
  type SnapshotManifest,
} from '../src';

const MODEL = 'embed@1.0.0';

const scratch = useScratchS3();

let prefixes = 0;
/** A store of its own in the scratch bucket, under a prefix of two parts. */
const freshStore = (pageSize?: number) =>
  new S3SnapshotStore(scratch.client, { bucket: scratch.s3.bucket, prefix: `test-${++prefixes}/snapshots` }, { pageSize });

/** Publishes `files` as snapshot `id` (a manifest of their sizes and checksums); returns the manifest. */
async function publish(store: S3SnapshotStore, files: Record<string, Buffer>, createdMs = Date.now()): Promise<SnapshotManifest> {
  const staged = await store.stage();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(staged, name), bytes);
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    id: `${String(createdMs).padStart(13, '0')}-${randomBytes(4).toString('hex')}`,
    createdAt: new Date(createdMs).toISOString(),
    embeddingModel: MODEL,
    cursor: null,
    products: 0,
    dimension: 0,
    files: Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }]),
    ),
  };
  await store.publish(staged, manifest);
  expect(existsSync(staged)).toBe(false);
  return manifest;
}

/** Every key under the store's prefix, relative to it. */
async function keysOf(store: S3SnapshotStore): Promise<string[]> {
  const { Contents = [] } = await scratch.client.send(new ListObjectsV2Command({ Bucket: scratch.s3.bucket, Prefix: `${store.location.prefix}/` }));
  return Contents.map((object) => object.Key!.slice(store.location.prefix.length + 1)).sort();
}

/** The commands `client` is sent while `run` runs, by name and key. */
async function commandsDuring(run: () => Promise<unknown>): Promise<{ command: string; keys: string[] }[]> {
  const send = jest.spyOn(scratch.client, 'send');
  try {
    await run();
    return send.mock.calls.map(([command]) => {
      const input = command.input as { Key?: string; Delete?: { Objects?: { Key?: string }[] } };
      return { command: command.constructor.name, keys: input.Key !== undefined ? [input.Key] : (input.Delete?.Objects ?? []).map((object) => object.Key!) };
    });
  } finally {
    send.mockRestore();
  }
}

describe('S3SnapshotStore', () => {
  it('publishes a snapshot whole, its manifest last, and fetches it back byte for byte into a folder that release removes', async () => {
    const store = freshStore();
    // Past one 5 MiB part: sent as a multipart upload.
    const files = { 'big.bin': randomBytes(6 << 20), 'small.json': Buffer.from('{"labels": []}') };
    let manifest!: SnapshotManifest;
    const sent = await commandsDuring(async () => (manifest = await publish(store, files)));
    expect(sent.filter((call) => call.command === CreateMultipartUploadCommand.name).flatMap((call) => call.keys)).toEqual([
      `${store.location.prefix}/${manifest.id}/big.bin`,
    ]);
    expect(sent.at(-1)).toEqual({ command: PutObjectCommand.name, keys: [`${store.location.prefix}/${manifest.id}/manifest.json`] });
    expect(await keysOf(store)).toEqual([`${manifest.id}/big.bin`, `${manifest.id}/manifest.json`, `${manifest.id}/small.json`]);
    expect(await store.list()).toEqual([manifest]);
    expect(store.description).toBe(`s3://snapshots/${store.location.prefix}`);

    const { dir, release } = await store.fetch(manifest.id);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['big.bin', 'small.json']);
    for (const [name, bytes] of Object.entries(files)) expect(readFileSync(join(dir, name)).equals(bytes)).toBe(true);
    await release();
    expect(existsSync(dir)).toBe(false);
  });

  it('lists only snapshots whose manifest is there: an upload without one is passed over without a word', async () => {
    const store = freshStore();
    const published = await publish(store, { 'a.bin': randomBytes(10) }, 1000);
    const uploading = `${String(Date.now()).padStart(13, '0')}-0badf00d`;
    await scratch.client.send(new PutObjectCommand({ Bucket: scratch.s3.bucket, Key: `${store.location.prefix}/${uploading}/a.bin`, Body: randomBytes(10) }));
    const warn = jest.spyOn(logger(), 'warn');
    try {
      expect(await store.list()).toEqual([published]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    await expect(store.fetch(uploading)).rejects.toThrow(
      new RegExp(`^s3://snapshots/${store.location.prefix}/${uploading}/manifest.json: cannot read \\(NoSuchKey: `),
    );
  });

  it('refuses at fetch a snapshot whose files are not all there as its manifest says, naming them, and leaves no folder behind', async () => {
    const store = freshStore();
    const manifest = await publish(store, { 'graph.bin': randomBytes(2000), 'labels.json': Buffer.from('[]'), 'codes.bin': randomBytes(50) });
    const key = (name: string) => `${store.location.prefix}/${manifest.id}/${name}`;
    await scratch.client.send(new DeleteObjectCommand({ Bucket: scratch.s3.bucket, Key: key('labels.json') }));
    await scratch.client.send(new PutObjectCommand({ Bucket: scratch.s3.bucket, Key: key('graph.bin'), Body: randomBytes(1000) }));

    const refused = await store.fetch(manifest.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SnapshotStoreError);
    expect(refused).toMatchObject({
      code: 'INCOMPLETE_SNAPSHOT',
      message: `s3://snapshots/${key('')}: snapshot ${manifest.id} is incomplete: graph.bin has 1000 bytes, the manifest says 2000; labels.json is missing`,
    });
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`serendip-snapshot-${manifest.id}`))).toEqual([]);
  });

  it('refuses a manifest that names a file outside its snapshot, which fetch would otherwise write outside its folder', async () => {
    const store = freshStore();
    const manifest = await publish(store, { 'a.bin': randomBytes(10) });
    const escaping = { ...manifest, files: { '../../escape': manifest.files['a.bin']! } };
    const key = `${store.location.prefix}/${manifest.id}/manifest.json`;
    await scratch.client.send(new PutObjectCommand({ Bucket: scratch.s3.bucket, Key: key, Body: JSON.stringify(escaping) }));
    const said: string[] = [];
    const warn = jest.spyOn(logger(), 'warn').mockImplementation((message: unknown) => void said.push(String(message)));
    try {
      expect(await store.list()).toEqual([]);
    } finally {
      warn.mockRestore();
    }
    expect(said).toEqual([
      `index snapshot ${manifest.id} in ${store.description} has no readable manifest (it lists "../../escape", not a file name); ignored`,
    ]);
    await expect(store.fetch(manifest.id)).rejects.toMatchObject({
      code: 'BAD_MANIFEST',
      message: `s3://snapshots/${key}: not a readable manifest (it lists "../../escape", not a file name)`,
    });
  });

  it('pages through listings longer than a page, and prunes the manifest before the files', async () => {
    const store = freshStore(2);
    const manifests = [];
    for (let i = 1; i <= 3; i += 1) manifests.push(await publish(store, { 'a.bin': randomBytes(10), 'b.bin': randomBytes(10) }, i * 1000));
    const [oldest, middle, newest] = manifests as [SnapshotManifest, SnapshotManifest, SnapshotManifest];

    let listed: SnapshotManifest[] = [];
    const sent = await commandsDuring(async () => (listed = await store.list()));
    expect(listed).toEqual([newest, middle, oldest]);
    // Nine objects, two a page.
    expect(sent.filter((call) => call.command === ListObjectsV2Command.name)).toHaveLength(5);

    let removed: string[] = [];
    const deletes = (await commandsDuring(async () => (removed = await store.prune(1)))).filter((call) => call.command === DeleteObjectsCommand.name);
    expect(removed).toEqual([middle.id, oldest.id]);
    const key = (id: string, name: string) => `${store.location.prefix}/${id}/${name}`;
    expect(deletes.map((call) => call.keys.sort())).toEqual([
      [key(middle.id, 'manifest.json')],
      [key(middle.id, 'a.bin'), key(middle.id, 'b.bin')],
      [key(oldest.id, 'manifest.json')],
      [key(oldest.id, 'a.bin'), key(oldest.id, 'b.bin')],
    ]);
    expect(await keysOf(store)).toEqual([`${newest.id}/a.bin`, `${newest.id}/b.bin`, `${newest.id}/manifest.json`]);
  });

  it("names the bucket and key and gives S3's code when a call fails, and a replica then reads the whole feed", async () => {
    const missing = new S3SnapshotStore(scratch.client, { bucket: 'no-such-bucket', prefix: 'snapshots' });
    const refused = await missing.list().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SnapshotStoreError);
    expect(refused).toMatchObject({ code: 'NoSuchBucket', url: 's3://no-such-bucket/snapshots/' });
    expect((refused as Error).message).toMatch(/^s3:\/\/no-such-bucket\/snapshots\/: cannot list \(NoSuchBucket: The specified bucket does not exist\)$/);

    const nobody = snapshotS3Client({ region: ScratchS3.region, endpoint: `http://127.0.0.1:${await freePort()}` });
    try {
      // Only the message: under jest the SDK gets node's errors from another realm and wraps them, code and all.
      await expect(new S3SnapshotStore(nobody, { bucket: 'snapshots', prefix: '' }).list()).rejects.toThrow(
        /^s3:\/\/snapshots\/: cannot list \(.*connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
      );
    } finally {
      nobody.destroy();
    }

    const said: string[] = [];
    const warn = jest.spyOn(logger(), 'warn').mockImplementation((message: unknown) => void said.push(String(message)));
    try {
      expect(await loadNewestSnapshot(missing, MODEL)).toBeNull();
    } finally {
      warn.mockRestore();
    }
    expect(said).toEqual([
      'index snapshots in s3://no-such-bucket/snapshots cannot be listed (s3://no-such-bucket/snapshots/: cannot list (NoSuchBucket: The specified bucket does not exist)): reading the whole feed',
    ]);
  });
});

describe('index snapshot settings', () => {
  const schema = z.object({ MYSQL_DATABASE_PREFIX: commonEnv.MYSQL_DATABASE_PREFIX, ...indexSnapshotEnv }).check(indexSnapshotSettingsCheck);
  const load = (env: Record<string, string>) => loadConfig('index:snapshot', schema, { NODE_ENV: 'test', ...env });
  const problems = (env: Record<string, string>) => {
    try {
      load(env);
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('keeps snapshots in a folder unless INDEX_SNAPSHOT_URL names a bucket', () => {
    expect(indexSnapshotStore(load({}))).toEqual(new DirectorySnapshotStore(projectPath('.run', 'index-snapshots', 'serendip')));
    expect(indexSnapshotStore(load({ INDEX_SNAPSHOT_DIR: '/index-snapshots', INDEX_SNAPSHOT_URL: '' }))).toEqual(
      new DirectorySnapshotStore('/index-snapshots'),
    );
    for (const [url, location] of [
      ['s3://serendip-snapshots/production/index/', { bucket: 'serendip-snapshots', prefix: 'production/index' }],
      ['s3://serendip.snapshots', { bucket: 'serendip.snapshots', prefix: '' }],
    ] as const) {
      const store = indexSnapshotStore(load({ INDEX_SNAPSHOT_DIR: '', INDEX_SNAPSHOT_URL: url, AWS_REGION: 'eu-west-1' }));
      expect(store).toBeInstanceOf(S3SnapshotStore);
      expect((store as S3SnapshotStore).location).toEqual(location);
      (store as S3SnapshotStore).client.destroy();
    }
  });

  it('refuses settings that are malformed or do not go together, naming each at once', () => {
    expect(problems({ INDEX_SNAPSHOT_DIR: '/index-snapshots', INDEX_SNAPSHOT_URL: 's3://serendip-snapshots' })).toEqual([
      'INDEX_SNAPSHOT_URL: set together with INDEX_SNAPSHOT_DIR: snapshots are kept in one place, a folder or object storage; unset one',
      "AWS_REGION: required with INDEX_SNAPSHOT_URL: the bucket's region (an S3-compatible service takes any, e.g. us-east-1)",
    ]);
    expect(problems({ INDEX_SNAPSHOT_S3_ENDPOINT: 'http://minio:9000', MYSQL_DATABASE_PREFIX: 'Bad Prefix' })).toEqual([
      expect.stringMatching(/^MYSQL_DATABASE_PREFIX: /),
      'INDEX_SNAPSHOT_S3_ENDPOINT: set without INDEX_SNAPSHOT_URL, which names the bucket',
    ]);
    expect(
      problems({ INDEX_SNAPSHOT_URL: 'https://serendip-snapshots.s3.amazonaws.com/index', INDEX_SNAPSHOT_S3_ENDPOINT: 'minio:9000', AWS_REGION: 'EU West' }),
    ).toEqual([
      'INDEX_SNAPSHOT_URL: must be s3://<bucket> or s3://<bucket>/<prefix>',
      'INDEX_SNAPSHOT_S3_ENDPOINT: must be an http:// or https:// URL',
      'AWS_REGION: must be a region name such as eu-west-1',
    ]);
    expect(problems({ INDEX_SNAPSHOT_URL: 's3://Snapshots/index', AWS_REGION: 'us-east-1' })).toEqual([
      'INDEX_SNAPSHOT_URL: "Snapshots" is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)',
    ]);
    expect(problems({ INDEX_SNAPSHOT_URL: 's3://snapshots/a//b', AWS_REGION: 'us-east-1' })).toEqual([
      'INDEX_SNAPSHOT_URL: the prefix "a//b" has an empty, "." or ".." part',
    ]);
  });

  it('reaches an S3-compatible service at INDEX_SNAPSHOT_S3_ENDPOINT, bucket in the path', async () => {
    const store = indexSnapshotStore(
      load({ INDEX_SNAPSHOT_URL: 's3://snapshots/from-settings', INDEX_SNAPSHOT_S3_ENDPOINT: scratch.s3.endpoint, AWS_REGION: ScratchS3.region }),
    ) as S3SnapshotStore;
    try {
      const manifest = await publish(store, { 'a.bin': randomBytes(10) });
      expect(await store.list()).toEqual([manifest]);
      expect(await keysOf(store)).toEqual([`${manifest.id}/a.bin`, `${manifest.id}/manifest.json`]);
    } finally {
      store.client.destroy();
    }
  });
});
