import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TorchProcessOptions } from '../../src/torch-process';

/** How the stand-in starts: `ready` serves batches, `fail` fails to load as serve.py does without its weights file, `silent` never gets ready. */
export type FakeStart = 'ready' | 'fail' | 'silent';

/**
 * What the stand-in does with a batch, chosen by the batch's first token id; any other id is
 * answered. `Exit` exits (code 7, after a line on stderr), `Garbage` answers with bytes that are
 * no frame, `Hang` never answers, `WrongShape` answers a row too many, `Error` says the batch
 * failed and goes on.
 */
export enum FakeBatch {
  Exit = 1001,
  Garbage = 1002,
  Hang = 1003,
  WrongShape = 1004,
  Error = 1005,
}

export const FAKE_TORCH_SERVER = path.join(__dirname, 'fake-torch-server.ts');

/** TorchProcess options that run the stand-in (through tsx's loader, as the worker pool runs TypeScript). */
export const fakeTorch = (start: FakeStart, options: Partial<TorchProcessOptions> = {}): TorchProcessOptions => ({
  model: 'fake',
  command: process.execPath,
  args: ['--import', pathToFileURL(require.resolve('tsx')).href, FAKE_TORCH_SERVER, start],
  width: 2,
  ...options,
});

/** A batch of one-token-and-[SEP] texts starting with these ids. */
export const fakeBatch = (...firstIds: number[]) => ({
  rows: firstIds.length,
  tokens: 2,
  inputIds: Int32Array.from(firstIds.flatMap((id) => [id, 3])),
  attentionMask: Int32Array.from(firstIds.flatMap(() => [1, 1])),
});
