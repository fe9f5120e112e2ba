/**
 * models/training/sequence_model.py's model, run by the Python that trains it: the properties the
 * trainer relies on but cannot check itself while it trains.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SEQUENCE_TRAINER } from '../src/sequence/sequence-trainer';

const run = promisify(execFile);

/** Runs `code` with sequence_model importable; returns its stdout. */
async function python(code: string): Promise<string> {
  const { stdout } = await run('/usr/bin/python3', ['-c', code], {
    env: { ...process.env, PYTHONPATH: path.dirname(SEQUENCE_TRAINER), PYTHONDONTWRITEBYTECODE: '1' },
  });
  return stdout.trim();
}

describe('sequence_model.py', () => {
  it('gives a window the same query however much padding it carries, so training may trim batches that serving pads', async () => {
    const out = await python(`
import json, torch, sequence_model as sm
torch.manual_seed(1)
features = torch.randn(21, 6)
features[0] = 0
model = sm.SASRec(20, 8, 2, 2, 10, 0.5, features).eval()
window = [3, 7, 7, 12]
with torch.no_grad():
    served = model(torch.tensor([sm.left_pad(window, 10)]))[0, -1]
    trimmed = model(torch.tensor([window]))[0, -1]
    padded_a_little = model(torch.tensor([[0, 0] + window]))[0, -1]
    exported = sm.QueryModel(model)(torch.tensor([sm.left_pad(window, 10)]))[0]
print(json.dumps({
    "trimmed": float((served - trimmed).abs().max()),
    "padded": float((served - padded_a_little).abs().max()),
    "exported": float((served - exported).abs().max()),
    "norm": float(served.norm()),
}))
`);
    const gaps = JSON.parse(out) as { trimmed: number; padded: number; exported: number; norm: number };
    expect(gaps.norm).toBeGreaterThan(0.1);
    expect(gaps.trimmed).toBeLessThan(1e-5);
    expect(gaps.padded).toBeLessThan(1e-5);
    expect(gaps.exported).toBeLessThan(1e-5);
  }, 60_000);

  it('refuses side information that does not fit the sequences, naming the file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'serendip-features-'));
    try {
      const file = path.join(dir, 'features.f32');
      // 5 rows of 4 floats: items 1…4 at most, one row short for items up to 5, and not 3 wide.
      await fs.writeFile(file, Buffer.alloc(5 * 4 * 4));
      const attempt = (dim: number, items: number) =>
        python(`
import pathlib, sequence_model as sm
try:
    sm.read_features(pathlib.Path(${JSON.stringify(file)}), ${dim}, ${items})
    print("accepted")
except SystemExit as refusal:
    print(refusal)
`);
      await expect(attempt(4, 4)).resolves.toBe('accepted');
      await expect(attempt(4, 5)).resolves.toBe(`sequence_model: ${file} has 5 rows; the sequences name items up to 5, so at least 6 are needed`);
      await expect(attempt(3, 4)).resolves.toBe(`sequence_model: ${file} holds 80 bytes, not a whole number of 3-wide float32 rows`);
      await expect(attempt(0, 4)).resolves.toBe('sequence_model: --item-features needs --feature-dim');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("reads Games.test.inter's history and target as one sequence, ids shifted by one as eval:topn shifts them", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'serendip-sequences-'));
    try {
      const inter = path.join(dir, 'Games.test.inter');
      await fs.writeFile(inter, 'user_id:token\titem_id_list:token_seq\titem_id:token\n0\t0 1 2\t3\n7\t4 0\t9\n\n');
      const plain = path.join(dir, 'Beauty.txt');
      await fs.writeFile(plain, '1 1 2 3 4\n2 5 1 10\n');
      const read = (file: string) =>
        python(`import json, pathlib, sequence_model as sm; print(json.dumps(sm.read_sequences(pathlib.Path(${JSON.stringify(file)}))))`);
      await expect(read(inter)).resolves.toBe('[[1, 2, 3, 4], [5, 1, 10]]');
      await expect(read(plain)).resolves.toBe('[[1, 2, 3, 4], [5, 1, 10]]');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
