import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kill, startListening } from './listening-process';
import { freePort } from './ports';

/**
 * An S3-compatible server of a test's own: s3rver on a free loopback port, its objects in a
 * temporary folder, `bucket` created. Clients sign with `credentials`; `stop()` kills it and
 * removes the folder. It runs as a process of its own because s3rver encrypts ListObjectsV2's
 * continuation tokens with DES, which OpenSSL 3 offers only with its legacy provider, and that is
 * turned on when node starts (`--openssl-legacy-provider`).
 */
export class ScratchS3 {
  /** The keys s3rver checks signatures against. */
  static readonly credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;
  /** The region its continuation tokens name; another one's are refused. */
  static readonly region = 'us-east-1';

  private constructor(
    readonly bucket: string,
    private readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(bucket: string): Promise<ScratchS3> {
    const [port, dir] = await Promise.all([freePort(), mkdtemp(join(tmpdir(), 'serendip-s3-'))]);
    const args = ['--openssl-legacy-provider', require.resolve('s3rver/bin/s3rver.js'), '--silent', '--address', '127.0.0.1', '--port', String(port)];
    const child = await startListening('s3rver', process.execPath, [...args, '--directory', dir, '--configure-bucket', bucket], port);
    return new ScratchS3(bucket, port, dir, child);
  }

  /** The endpoint a path-style client is given. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sets when object `key` was last modified, as listings report it: how a test ages an upload. */
  backdate(key: string, when: Date): Promise<void> {
    // s3rver keeps each object in a file named after its key, and reports that file's mtime.
    const segments = key.split('/');
    const file = join(this.dir, this.bucket, ...segments.slice(0, -1), `${segments.at(-1)!}._S3rver_object`);
    return utimes(file, when, when);
  }

  async stop(): Promise<void> {
    await kill(this.child);
    await rm(this.dir, { recursive: true, force: true });
  }
}
