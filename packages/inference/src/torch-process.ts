import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { encodeRequest, FrameReader, FrameStatus, TORCH_PROTOCOL, type Frame, type TokenBatch } from './torch-frames';
import { TorchBackendError, TorchErrorCode } from './torch-backend.error';

export interface TorchProcessOptions {
  /** The model id, named in every error. */
  model: string;
  /** The interpreter (INFERENCE_PYTHON) and its arguments: serve.py and the model's settings. */
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Floats per text in every answer: the embedding dimension or the number of classes. */
  width: number;
  /** How long a process may take to import PyTorch and load the weights (a GPU's start-up included). @default 120000 */
  startTimeoutMs?: number;
  /**
   * How long one batch may take before the process is taken for hung, killed, and replaced for the
   * next batch; without it a wedged process would hold its batch, and the jobs in it, forever. @default 60000
   */
  batchTimeoutMs?: number;
}

/** How long `dispose` waits for a process to exit after its input is closed before killing it. */
const EXIT_GRACE_MS = 5000;
/** Lines of the process's stderr kept to explain an exit (the last of a Python traceback). */
const STDERR_LINES = 5;

interface InFlight {
  id: number;
  rows: number;
  resolve(rows: Float32Array[]): void;
  reject(error: Error): void;
}

/** One PyTorch process (models/training/serve.py): started, then answering batches one at a time until it is lost. */
class ServerProcess {
  private readonly reader = new FrameReader();
  private readonly stderr: string[] = [];
  private inFlight: InFlight | null = null;
  private lostWith: TorchBackendError | null = null;
  private timer: NodeJS.Timeout | null = null;
  private settleStart: ((error: TorchBackendError | null) => void) | null = null;
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly options: TorchProcessOptions,
  ) {
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderr.push(...text.split('\n').filter((line) => line.trim() !== ''));
      this.stderr.splice(0, Math.max(0, this.stderr.length - STDERR_LINES));
    });
    // Writing to a process that just died fails with EPIPE; its exit explains the loss better.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) =>
      this.lose(TorchErrorCode.StartFailed, `could not run INFERENCE_PYTHON=${options.command} (${error.message}); it must be a Python with PyTorch`),
    );
    // 'close', not 'exit': by then stderr has been read to its end, so the message has the traceback.
    child.on('close', (code, signal) => this.lose(TorchErrorCode.Exited, `the PyTorch process exited (${signal ?? `code ${code}`})`));
  }

  /** Starts a process and resolves once it has loaded the model. */
  static launch(options: TorchProcessOptions): Promise<ServerProcess> {
    const child = spawn(options.command, options.args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, options);
    return new Promise((resolve, reject) => {
      server.settleStart = (error) => {
        server.settleStart = null;
        server.clearTimer();
        if (error) reject(error);
        else resolve(server);
      };
      const timeoutMs = options.startTimeoutMs ?? 120_000;
      server.timer = setTimeout(() => server.lose(TorchErrorCode.StartFailed, `the PyTorch process was not ready within ${timeoutMs} ms`), timeoutMs);
    });
  }

  /** False once the process is lost: it exited, misbehaved, or was stopped. */
  get serving(): boolean {
    return this.lostWith === null;
  }

  run(batch: TokenBatch, id: number): Promise<Float32Array[]> {
    if (this.lostWith) return Promise.reject(this.lostWith);
    return new Promise((resolve, reject) => {
      this.inFlight = { id, rows: batch.rows, resolve, reject };
      const timeoutMs = this.options.batchTimeoutMs ?? 60_000;
      this.timer = setTimeout(() => this.lose(TorchErrorCode.Timeout, `no answer within ${timeoutMs} ms`), timeoutMs);
      this.child.stdin.write(encodeRequest(id, batch));
    });
  }

  /** Closes the process's input, which ends it; kills it if it has not exited within the grace period. */
  async stop(): Promise<void> {
    this.lose(TorchErrorCode.Disposed, 'the model was disposed');
    this.child.stdin.end();
    const grace = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.lose(TorchErrorCode.BadFrame, `the PyTorch process sent bytes that are not a frame (${(error as Error).message})`);
      return;
    }
    for (const frame of frames) this.answer(frame);
  }

  private answer(frame: Frame): void {
    if (this.lostWith) return;
    if (this.settleStart) {
      if (frame.status === FrameStatus.Ready) this.checkReady(frame.text);
      else if (frame.status === FrameStatus.Failed) this.lose(TorchErrorCode.StartFailed, frame.text);
      else this.lose(TorchErrorCode.BadFrame, `the PyTorch process answered with status ${frame.status} before it was ready`);
      return;
    }
    const call = this.inFlight;
    if (!call || frame.id !== call.id || frame.status === FrameStatus.Ready || frame.status === FrameStatus.Failed) {
      this.lose(
        TorchErrorCode.BadFrame,
        `unexpected frame ${frame.id} (status ${frame.status}) while ${call ? `batch ${call.id} was` : 'no batch was'} in flight`,
      );
      return;
    }
    if (frame.status === FrameStatus.Result && (frame.rows !== call.rows || frame.width !== this.options.width)) {
      this.lose(
        TorchErrorCode.BadFrame,
        `a batch of ${call.rows} texts was answered with ${frame.rows}x${frame.width} floats, not ${call.rows}x${this.options.width}`,
      );
      return;
    }
    this.inFlight = null;
    this.clearTimer();
    if (frame.status === FrameStatus.Result) {
      const { values, width } = frame;
      call.resolve(Array.from({ length: frame.rows }, (_, row) => values.subarray(row * width, (row + 1) * width)));
    } else {
      call.reject(new TorchBackendError(TorchErrorCode.BatchFailed, this.options.model, frame.text));
    }
  }

  private checkReady(text: string): void {
    let ready: { protocol?: unknown; width?: unknown };
    try {
      ready = JSON.parse(text) as typeof ready;
    } catch {
      this.lose(TorchErrorCode.BadFrame, `the ready frame is not JSON: ${text.slice(0, 200)}`);
      return;
    }
    if (ready.protocol !== TORCH_PROTOCOL) {
      this.lose(TorchErrorCode.StartFailed, `the server speaks protocol ${String(ready.protocol)}, this package ${TORCH_PROTOCOL}`);
    } else if (ready.width !== this.options.width) {
      this.lose(TorchErrorCode.StartFailed, `the model answers ${String(ready.width)} floats per text, its config.json says ${this.options.width}`);
    } else {
      this.settleStart?.(null);
    }
  }

  /**
   * Ends this process's service with `code`: the start or the batch in flight fails with it, and
   * the process is killed if it still runs (its stream may be out of step, or it hangs). The
   * owner finds it no longer serving at its next batch and starts a new one.
   */
  private lose(code: TorchErrorCode, problem: string): void {
    if (this.lostWith) return;
    // A child that failed to spawn has no pid and nothing to kill.
    const running = this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    const kill = running && code !== TorchErrorCode.Disposed;
    const parts = [problem + (this.inFlight ? ` during a batch of ${this.inFlight.rows} texts` : '')];
    // Said where the kill is the remedy; otherwise the process is ending anyway.
    if (kill && (code === TorchErrorCode.BadFrame || code === TorchErrorCode.Timeout)) parts.push('the process was killed');
    // A failed start is reported by whoever started the model; a lost batch says what comes next.
    if (!this.settleStart && code !== TorchErrorCode.Disposed) parts.push('the next batch starts a new process');
    if (this.stderr.length > 0) parts.push(`it last wrote: ${this.stderr.join(' | ')}`);
    if (this.stderr.some((line) => line.includes("No module named 'torch'"))) {
      parts.push('INFERENCE_PYTHON must be a Python with PyTorch (Debian: apt install python3-torch)');
    }
    this.lostWith = new TorchBackendError(code, this.options.model, parts.join('; '));
    this.clearTimer();
    this.settleStart?.(this.lostWith);
    this.inFlight?.reject(this.lostWith);
    this.inFlight = null;
    if (kill) this.child.kill('SIGKILL');
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * A model served by PyTorch in a child process (INFERENCE_BACKEND=torch). Batches go one at a
 * time over the child's stdin and stdout in binary frames (torch-frames.ts). A process that is
 * lost (it exited, sent garbage, or hung) fails the batch in flight with a coded
 * TorchBackendError and is replaced by a fresh one when the next batch comes; `dispose` ends it.
 * If the owning process dies without disposing, the child sees its input close and exits.
 */
export class TorchProcess {
  private current: ServerProcess | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;

  private constructor(private readonly options: TorchProcessOptions) {}

  /** Starts the process; throws a TORCH_START_FAILED TorchBackendError saying why it could not load the model. */
  static async start(options: TorchProcessOptions): Promise<TorchProcess> {
    const torch = new TorchProcess(options);
    torch.current = await ServerProcess.launch(options);
    return torch;
  }

  /** One float row per text of the batch, in order. */
  run(batch: TokenBatch): Promise<Float32Array[]> {
    const call = this.queue.then(() => this.runNow(batch));
    this.queue = call.catch(() => undefined);
    return call;
  }

  /** Ends the process once the batches already handed in have run. */
  async dispose(): Promise<void> {
    await this.queue;
    this.disposed = true;
    await this.current?.stop();
    this.current = null;
  }

  private async runNow(batch: TokenBatch): Promise<Float32Array[]> {
    if (this.disposed) throw new TorchBackendError(TorchErrorCode.Disposed, this.options.model, 'the model was disposed');
    if (!this.current?.serving) this.current = await ServerProcess.launch(this.options);
    return this.current.run(batch, this.nextId++);
  }
}
