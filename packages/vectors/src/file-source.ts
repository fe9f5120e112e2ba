import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';

/** Bytes read ahead for small reads; a read at least this long goes straight into its destination. */
const CHUNK_BYTES = 1 << 20;

/** What a file must be: its length and SHA-256 (hex), as a snapshot's manifest lists them. */
export interface ExpectedFile {
  bytes: number;
  sha256: string;
}

/**
 * A file read once, front to back, straight into the memory that keeps its contents (a graph's
 * links, WebAssembly rows), hashing every byte on the way. Loading an index this way holds each
 * value once: reading whole files first held a second copy of the index until the collector
 * freed it, a third more memory at the moment a replica reported ready.
 */
export class FileSource {
  readonly name: string;
  private readonly hash: Hash = createHash('sha256');
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Bytes of `chunk` read from the file and not yet handed out: chunk[start…end). */
  private start = 0;
  private end = 0;
  /** Where the next read from the file begins. */
  private position = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    path: string,
  ) {
    this.name = basename(path);
  }

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    try {
      return new FileSource(handle, (await handle.stat()).size, path);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.size - this.position + (this.end - this.start);
  }

  /** Fills `target` with the next bytes; throws when the file ends first. */
  async readInto(target: Uint8Array): Promise<void> {
    if (target.length > this.remaining) throw new Error(`${this.name} ends ${target.length - this.remaining} bytes early`);
    let filled = this.take(target, 0);
    while (filled < target.length) {
      const wanted = target.length - filled;
      if (wanted >= CHUNK_BYTES) {
        filled += await this.readFile(target.subarray(filled));
      } else {
        this.start = 0;
        this.end = await this.readFile(this.chunk.subarray(0, Math.min(CHUNK_BYTES, this.size - this.position)));
        filled = this.take(target, filled);
      }
    }
  }

  /** Reads and drops the next `count` bytes (they are still hashed). */
  async skip(count: number): Promise<void> {
    await this.readInto(new Uint8Array(count));
  }

  /** Reads the rest of the file (nothing of it kept) and says whether the whole matched `sha256`. */
  async matches(sha256: string): Promise<boolean> {
    this.start = this.end;
    while (this.position < this.size) await this.readFile(this.chunk.subarray(0, Math.min(CHUNK_BYTES, this.size - this.position)));
    return this.hash.digest('hex') === sha256;
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /** Copies buffered bytes into target[filled…]; returns how far target is filled. */
  private take(target: Uint8Array, filled: number): number {
    const count = Math.min(this.end - this.start, target.length - filled);
    target.set(this.chunk.subarray(this.start, this.start + count), filled);
    this.start += count;
    return filled + count;
  }

  /** Fills `into` from the file at the current position and hashes it; returns its length. */
  private async readFile(into: Uint8Array): Promise<number> {
    let read = 0;
    while (read < into.length) {
      const { bytesRead } = await this.handle.read(into, read, into.length - read, this.position + read);
      if (bytesRead === 0) throw new Error(`${this.name} ended while being read: it changed underneath`);
      read += bytesRead;
    }
    this.position += read;
    this.hash.update(into);
    return read;
  }
}

/**
 * Reads the file at `path` with `read`, which consumes it whole (left-over bytes are an error),
 * then checks it against `expected` when given. A file that fails either way and does not match
 * its checksum is reported as damaged, whatever shape the damage gave its bytes.
 */
export async function readWhole<T>(path: string, read: (source: FileSource) => Promise<T>, expected?: ExpectedFile): Promise<T> {
  const source = await FileSource.open(path);
  try {
    if (expected && source.size !== expected.bytes) throw new Error(`${source.name} has ${source.size} bytes, expected ${expected.bytes}`);
    let value: T;
    try {
      value = await read(source);
      if (source.remaining !== 0) throw new Error(`${source.name}: ${source.remaining} bytes left over`);
    } catch (error) {
      if (expected && !(await source.matches(expected.sha256))) throw new Error(`${source.name} does not match its checksum`, { cause: error });
      throw error;
    }
    if (expected && !(await source.matches(expected.sha256))) throw new Error(`${source.name} does not match its checksum`);
    return value;
  } finally {
    await source.close();
  }
}

/** A written file's size and SHA-256, as a manifest lists it for `readWhole` to check. */
export async function describeFile(path: string): Promise<ExpectedFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
}
