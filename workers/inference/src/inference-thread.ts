import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UnrecoverableError } from 'bullmq';
import type { InferenceConfig } from '@serendip/inference';
import type { JobName } from '@serendip/jobs';

/** What the thread needs to build its handlers and models. */
export interface ThreadSetup {
  /** Absolute path of the module exporting `handlers`. */
  handlerModule: string;
  /** Jobs this process serves: each must have a handler, and their handlers' models are loaded. */
  jobs: JobName[];
  inference: InferenceConfig;
}

export interface LoadedModel {
  model: string;
  version: string;
}

export interface ThreadModels {
  embedder?: LoadedModel & { dimension: number };
  sentiment?: LoadedModel;
}

export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

export type ToThread =
  | { type: 'run'; id: number; job: JobName; payloads: unknown[] }
  /** Query vectors of the sequence model version in `dir` for the histories (its item ids, oldest first). */
  | { type: 'sequence'; id: number; dir: string; histories: number[][] }
  /** Loads the version in `dir` (once however many hold it) for the `sequence` calls of its holders. */
  | { type: 'sequence-open'; id: number; dir: string }
  /** Lets go of the version in `dir`: its session is freed with its last holder. */
  | { type: 'sequence-release'; id: number; dir: string }
  | { type: 'dispose' };

export type FromThread =
  | { type: 'ready'; models: ThreadModels }
  | { type: 'failed'; error: ThreadError }
  | { type: 'result'; id: number; results: unknown[] }
  | { type: 'error'; id: number; error: ThreadError };

const ENTRY = join(__dirname, `inference-thread.entry${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * Worker threads do not inherit tsx's loader, so a TypeScript entry is reached through a plain
 * script that registers tsx's require hook (all our code is CommonJS) and then loads it.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.register) require(workerData.register).register();
require(workerData.entry);
`;

/** Only the sources need tsx; a name in a variable keeps `pnpm build`'s bundle from importing it (production installs have no tsx). */
const TSX_API = 'tsx/cjs/api';
const TSX_REGISTER = __filename.endsWith('.ts') ? require.resolve(TSX_API) : null;

/** The thread's error with its stack, as a BullMQ job failure should record it. */
function rebuild(error: ThreadError): Error {
  // BullMQ skips the remaining attempts for errors named UnrecoverableError; a handler in the
  // thread may throw one when it finds a payload it can never process.
  const rebuilt = error.name === 'UnrecoverableError' ? new UnrecoverableError(error.message) : new Error(error.message);
  rebuilt.name = error.name;
  rebuilt.stack = `${error.stack ?? `${error.name}: ${error.message}`}\n    at <inference thread>`;
  return rebuilt;
}

interface Pending {
  resolve(results: unknown[]): void;
  reject(error: Error): void;
}

/**
 * The one thread per worker process that owns the models. The main thread keeps the event loop
 * free for BullMQ (lock renewal, stalled checks, fetching) while inference runs here.
 *
 * Why a worker thread and not BullMQ sandboxed processors: a sandboxed processor runs each
 * concurrent job in its own child process or thread, each loading its own copy of the models,
 * so jobs could not be gathered into one inference call and memory would grow with concurrency.
 *
 * Batches run one at a time: ONNX Runtime already spreads one call over INFERENCE_THREADS
 * cores, and two concurrent calls would only contend for them.
 *
 * A lost thread is not restarted: the ONNX Runtime binding registers once per process, so a
 * second thread cannot load it ("Module did not self-register"). `onLost` is told instead, and
 * the process should make way for a fresh one.
 */
export class InferenceThread {
  private readonly calls = new Map<number, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private lostWith: Error | null = null;
  private disposing = false;

  private constructor(
    private readonly worker: Worker,
    /** Models the thread loaded (none when its handlers need none). */
    readonly models: ThreadModels,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Starts the thread and resolves once its handlers are checked and its models loaded. */
  static start(setup: ThreadSetup, onLost: (error: Error) => void): Promise<InferenceThread> {
    return new Promise<InferenceThread>((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { ...setup, entry: ENTRY, register: TSX_REGISTER },
        // The environment as this module sees it: a test runner may sandbox process.env, and the
        // default would hand the thread the real process's instead.
        env: process.env,
      });
      let thread: InferenceThread | null = null;
      let settled = false;
      const lost = (error: Error) => {
        if (thread) {
          thread.lose(error);
        } else if (!settled) {
          settled = true;
          reject(error);
          void worker.terminate();
        }
      };
      worker.on('message', (message: FromThread) => {
        if (message.type === 'ready') {
          settled = true;
          thread = new InferenceThread(worker, message.models, onLost);
          resolve(thread);
        } else if (message.type === 'failed') {
          lost(rebuild(message.error));
        } else {
          thread?.answer(message);
        }
      });
      worker.on('error', lost);
      worker.on('exit', (code) => lost(new Error(`inference thread exited with code ${code}`)));
    });
  }

  run(job: JobName, payloads: unknown[]): Promise<unknown[]> {
    const call = this.queue.then(() => this.send((id) => ({ type: 'run', id, job, payloads })));
    this.queue = call.catch(() => undefined);
    return call;
  }

  /**
   * The sequence model's query vectors (`dim` floats per history, one after the other). They are
   * computed here because ONNX Runtime's binding serves one thread per process: a session run on
   * the main thread beside this one's crashes the process.
   */
  async sequenceQueries(dir: string, histories: number[][]): Promise<Float32Array> {
    const call = this.queue.then(() => this.send((id) => ({ type: 'sequence', id, dir, histories })));
    this.queue = call.catch(() => undefined);
    const [queries] = await call;
    return queries as Float32Array;
  }

  /** Opens the sequence model version in `dir` for sequenceQueries; each open is matched by a release. */
  async openSequenceModel(dir: string): Promise<void> {
    await this.sequenceCall('sequence-open', dir);
  }

  async releaseSequenceModel(dir: string): Promise<void> {
    await this.sequenceCall('sequence-release', dir);
  }

  private sequenceCall(type: 'sequence-open' | 'sequence-release', dir: string): Promise<unknown[]> {
    const call = this.queue.then(() => this.send((id) => ({ type, id, dir })));
    this.queue = call.catch(() => undefined);
    return call;
  }

  /** Releases the models and ends the thread once the calls already made have finished. */
  async dispose(): Promise<void> {
    await this.queue;
    this.disposing = true;
    if (this.lostWith) return;
    await new Promise<void>((resolve) => {
      // A model that hangs while releasing must not hold shutdown hostage.
      const timeout = setTimeout(resolve, 5000);
      this.worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
      this.worker.postMessage({ type: 'dispose' } satisfies ToThread);
    });
    await this.worker.terminate();
  }

  private send(message: (id: number) => Exclude<ToThread, { type: 'dispose' }>): Promise<unknown[]> {
    if (this.lostWith) return Promise.reject(this.lostWith);
    if (this.disposing) return Promise.reject(new Error('the inference thread has been disposed'));
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage(message(id));
    });
  }

  private answer(message: Extract<FromThread, { type: 'result' | 'error' }>): void {
    const call = this.calls.get(message.id);
    this.calls.delete(message.id);
    if (message.type === 'result') call?.resolve(message.results);
    else call?.reject(rebuild(message.error));
  }

  private lose(error: Error): void {
    if (this.lostWith) return;
    this.lostWith = error;
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
    if (!this.disposing) this.onLost(error);
  }
}
