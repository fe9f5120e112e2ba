/** Why a call to a model on the torch backend failed, and so what became of its PyTorch process. */
export enum TorchErrorCode {
  /** The process could not be started or did not get ready (no PyTorch, no weights file, no GPU). */
  StartFailed = 'TORCH_START_FAILED',
  /** The process exited while a batch was in flight; the next batch starts a new one. */
  Exited = 'TORCH_PROCESS_EXITED',
  /** The process answered with something that is not a frame of the protocol; it is killed and the next batch starts a new one. */
  BadFrame = 'TORCH_BAD_FRAME',
  /** The process did not answer within the batch time limit; it is killed and the next batch starts a new one. */
  Timeout = 'TORCH_TIMEOUT',
  /** The model raised on this batch (out of GPU memory, say); the process goes on serving. */
  BatchFailed = 'TORCH_BATCH_FAILED',
  /** The model was disposed before the batch ran. */
  Disposed = 'TORCH_DISPOSED',
}

/**
 * A failed call on the torch backend. The code leads the message because a worker's inference
 * thread passes errors on by name and message only, and a job's failure reason should still say
 * which case it was.
 */
export class TorchBackendError extends Error {
  constructor(
    readonly code: TorchErrorCode,
    readonly model: string,
    problem: string,
  ) {
    super(`${code}: model "${model}" on the torch backend: ${problem}`);
    this.name = 'TorchBackendError';
  }
}
