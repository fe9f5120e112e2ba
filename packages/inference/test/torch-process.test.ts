import { childProcesses, processEnded, untilProcessesEnd } from '@serendip/testing';
import { TorchBackendError, TorchErrorCode } from '../src';
import { TorchProcess } from '../src/torch-process';
import { FAKE_TORCH_SERVER, FakeBatch, fakeBatch, fakeTorch } from './support/fake-torch';

/** The error a call failed with, which must be a TorchBackendError. */
async function failure(call: Promise<unknown>): Promise<TorchBackendError> {
  const error = await call.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TorchBackendError);
  return error as TorchBackendError;
}

/** The pid that answered a stand-in's batch (its first float). */
const answeredBy = async (torch: TorchProcess, firstId = 5): Promise<number> => (await torch.run(fakeBatch(firstId)))[0]![0]!;

const servers = () => childProcesses(process.pid, FAKE_TORCH_SERVER);

/**
 * The torch backend's process handling, against a stand-in for serve.py that fails on demand
 * (support/fake-torch-server.ts): every loss fails the batch in flight with its own code and the
 * next batch gets a new process.
 */
describe('TorchProcess', () => {
  let torch: TorchProcess | null = null;

  afterEach(async () => {
    await torch?.dispose();
    torch = null;
    expect(servers()).toEqual([]);
  });

  it('answers each text of a batch with one row, in order', async () => {
    torch = await TorchProcess.start(fakeTorch('ready'));
    const rows = await torch.run(fakeBatch(5, 9, 12));
    const [pid] = servers();
    expect(rows.map((row) => Array.from(row))).toEqual([
      [pid, 5],
      [pid, 9],
      [pid, 12],
    ]);
  });

  it('fails the batch in flight when the process exits, naming its exit and last words, and starts a new one for the next batch', async () => {
    torch = await TorchProcess.start(fakeTorch('ready'));
    const first = await answeredBy(torch);
    const error = await failure(torch.run(fakeBatch(FakeBatch.Exit, 6)));
    expect(error.code).toBe(TorchErrorCode.Exited);
    expect(error.message).toBe(
      'TORCH_PROCESS_EXITED: model "fake" on the torch backend: the PyTorch process exited (code 7) during a batch of 2 texts; ' +
        'the next batch starts a new process; it last wrote: fake: giving up on this batch',
    );
    const second = await answeredBy(torch);
    expect(second).not.toBe(first);
    expect(processEnded(first)).toBe(true);
  });

  it('kills a process that answers with something other than a frame, and replaces it', async () => {
    torch = await TorchProcess.start(fakeTorch('ready'));
    const first = await answeredBy(torch);
    const error = await failure(torch.run(fakeBatch(FakeBatch.Garbage)));
    expect(error.code).toBe(TorchErrorCode.BadFrame);
    expect(error.message).toMatch(
      /sent bytes that are not a frame \(frame length \d+ exceeds .*\) during a batch of 1 texts; the process was killed; the next batch/,
    );
    await untilProcessesEnd([first]);
    expect(await answeredBy(torch)).not.toBe(first);
  });

  it('refuses an answer of the wrong shape as a bad frame', async () => {
    torch = await TorchProcess.start(fakeTorch('ready'));
    const error = await failure(torch.run(fakeBatch(FakeBatch.WrongShape)));
    expect(error.code).toBe(TorchErrorCode.BadFrame);
    expect(error.message).toContain('a batch of 1 texts was answered with 2x2 floats, not 1x2');
  });

  it('kills a process that does not answer within the batch time limit, so the batch fails instead of hanging', async () => {
    torch = await TorchProcess.start(fakeTorch('ready', { batchTimeoutMs: 300 }));
    const first = await answeredBy(torch);
    const error = await failure(torch.run(fakeBatch(FakeBatch.Hang)));
    expect(error.code).toBe(TorchErrorCode.Timeout);
    expect(error.message).toContain('no answer within 300 ms during a batch of 1 texts; the process was killed');
    await untilProcessesEnd([first]);
    expect(await answeredBy(torch)).not.toBe(first);
  });

  it('keeps the process when the model fails one batch', async () => {
    torch = await TorchProcess.start(fakeTorch('ready'));
    const first = await answeredBy(torch);
    const error = await failure(torch.run(fakeBatch(FakeBatch.Error)));
    expect(error.code).toBe(TorchErrorCode.BatchFailed);
    expect(error.message).toBe('TORCH_BATCH_FAILED: model "fake" on the torch backend: ValueError: this batch is bad');
    expect(await answeredBy(torch)).toBe(first);
  });

  it('says why a process could not start', async () => {
    const failed = await failure(TorchProcess.start(fakeTorch('fail')));
    expect(failed.code).toBe(TorchErrorCode.StartFailed);
    expect(failed.message).toBe('TORCH_START_FAILED: model "fake" on the torch backend: missing /models/x/pytorch_model.bin');

    const missing = await failure(TorchProcess.start({ ...fakeTorch('ready'), command: '/nonexistent/python3' }));
    expect(missing.code).toBe(TorchErrorCode.StartFailed);
    expect(missing.message).toContain('could not run INFERENCE_PYTHON=/nonexistent/python3 (spawn /nonexistent/python3 ENOENT)');

    const silent = await failure(TorchProcess.start(fakeTorch('silent', { startTimeoutMs: 1500 })));
    expect(silent.message).toBe('TORCH_START_FAILED: model "fake" on the torch backend: the PyTorch process was not ready within 1500 ms');

    const wide = await failure(TorchProcess.start(fakeTorch('ready', { width: 3 })));
    expect(wide.message).toContain('the model answers 2 floats per text, its config.json says 3');
    await untilProcessesEnd(servers());
  });

  it('ends its process on dispose and runs nothing after', async () => {
    const disposed = await TorchProcess.start(fakeTorch('ready'));
    const pid = await answeredBy(disposed);
    await disposed.dispose();
    expect(processEnded(pid)).toBe(true);
    expect((await failure(disposed.run(fakeBatch(5)))).code).toBe(TorchErrorCode.Disposed);
  });
});
