import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource, readWhole } from '../src/file-source';

const folder = mkdtempSync(join(tmpdir(), 'file-source-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** 3.5 MiB of random bytes, so reads cross the 1 MiB read-ahead both through it and around it. */
const bytes = randomBytes(3.5 * 1024 * 1024);
const path = join(folder, 'file.bin');
writeFileSync(path, bytes);
const sha256 = createHash('sha256').update(bytes).digest('hex');

describe('FileSource', () => {
  it('hands out the file in order through small and large reads, and hashes every byte', async () => {
    const source = await FileSource.open(path);
    try {
      const sizes = [10, 2 * 1024 * 1024, 1000, 3, 1024 * 1024 - 7];
      let at = 0;
      for (const size of sizes) {
        const target = new Uint8Array(size);
        await source.readInto(target);
        expect(Buffer.from(target).equals(bytes.subarray(at, at + size))).toBe(true);
        at += size;
      }
      expect(source.remaining).toBe(bytes.length - at);
      await source.skip(100);
      const rest = new Uint8Array(source.remaining);
      await source.readInto(rest);
      expect(Buffer.from(rest).equals(bytes.subarray(at + 100))).toBe(true);
      await expect(source.readInto(new Uint8Array(1))).rejects.toThrow('file.bin ends 1 bytes early');
      expect(await source.matches(sha256)).toBe(true);
    } finally {
      await source.close();
    }
  });

  it('checks the hash over bytes never handed out', async () => {
    const source = await FileSource.open(path);
    try {
      await source.readInto(new Uint8Array(5));
      expect(await source.matches(sha256)).toBe(true);
    } finally {
      await source.close();
    }
  });
});

describe('readWhole', () => {
  const all = async (source: FileSource) => {
    const target = new Uint8Array(source.remaining);
    await source.readInto(target);
    return target;
  };

  it('gives what the reader made when the file is whole and matches', async () => {
    const read = await readWhole(path, all, { bytes: bytes.length, sha256 });
    expect(Buffer.from(read).equals(bytes)).toBe(true);
  });

  it('refuses a file of another size before reading it, one that does not match, and bytes left unread', async () => {
    await expect(readWhole(path, all, { bytes: 10, sha256 })).rejects.toThrow(`file.bin has ${bytes.length} bytes, expected 10`);
    await expect(readWhole(path, all, { bytes: bytes.length, sha256: '0'.repeat(64) })).rejects.toThrow('file.bin does not match its checksum');
    await expect(readWhole(path, (source) => source.readInto(new Uint8Array(10)))).rejects.toThrow(`file.bin: ${bytes.length - 10} bytes left over`);
  });

  it("reports a damaged file as damaged when the damage trips the reader's own checks first", async () => {
    const refuse = () => Promise.reject(new Error('not what the reader expects'));
    await expect(readWhole(path, refuse, { bytes: bytes.length, sha256: '0'.repeat(64) })).rejects.toThrow('file.bin does not match its checksum');
    // An intact file keeps the reader's own reason.
    await expect(readWhole(path, refuse, { bytes: bytes.length, sha256 })).rejects.toThrow('not what the reader expects');
  });
});
