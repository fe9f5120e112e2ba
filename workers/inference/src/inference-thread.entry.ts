/**
 * Body of the inference thread (see InferenceThread): loads the handlers and the models they
 * need, then answers one batch at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Embedder, SentimentClassifier } from '@serendip/inference';
import { loadSequenceModel, type SequenceModel } from '@serendip/sequence';
import type { HandlerRegistry, ModelKind, Models } from './handlers/handler';
import type { FromThread, ThreadError, ThreadModels, ThreadSetup, ToThread } from './inference-thread';
import { ownedBuffers } from './owned-buffers';

/**
 * Payloads were validated against their job's schema on the main thread before they were
 * batched, so the thread calls handlers without re-proving their types.
 */
interface LooseHandler {
  models: readonly ModelKind[];
  run(payloads: unknown[], models: Models): Promise<unknown[]>;
}

interface Loaded {
  handlers: Map<string, LooseHandler>;
  models: Models;
  embedder: Embedder | null;
  sentiment: SentimentClassifier | null;
}

if (!parentPort) throw new Error('inference-thread.entry runs only as a worker thread');
const port = parentPort;
const setup = workerData as ThreadSetup;

const post = (message: FromThread, transfer: readonly ArrayBuffer[] = []) => port.postMessage(message, transfer);

const postResults = (id: number, results: unknown[]) => post({ type: 'result', id, results }, ownedBuffers(results));

function describe(error: unknown): ThreadError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

function missingModel(kind: ModelKind): never {
  throw new Error(`the ${kind} is not loaded: list it in the handler's models`);
}

async function load(): Promise<Loaded> {
  // require, not import(): the module path is only known at run time and tsx hooks require only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(setup.handlerModule) as { handlers?: HandlerRegistry };
  if (!exported.handlers) throw new Error(`${setup.handlerModule} does not export "handlers"`);
  const registry = exported.handlers as Partial<Record<string, LooseHandler>>;
  const missing = setup.jobs.filter((job) => !registry[job]);
  if (missing.length > 0) {
    throw new Error(`no handler for ${missing.join(', ')} in ${setup.handlerModule}; serve only queues whose jobs have handlers (WORKER_QUEUES)`);
  }
  const handlers = new Map(setup.jobs.map((job) => [job, registry[job]!] as const));
  const needed = new Set([...handlers.values()].flatMap((handler) => handler.models));
  // Loaded only when a handler needs a model: ONNX Runtime loads in one thread per process only,
  // and a thread whose handlers need none (tests start several in one process) leaves it alone.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inference = needed.size > 0 ? (require('@serendip/inference') as typeof import('@serendip/inference')) : null;
  const embedder = inference && needed.has('embedder') ? await inference.createEmbedder(setup.inference) : null;
  const sentiment = inference && needed.has('sentiment') ? await inference.createSentimentClassifier(setup.inference) : null;
  const models: Models = {
    get embedder() {
      return embedder ?? missingModel('embedder');
    },
    get sentiment() {
      return sentiment ?? missingModel('sentiment');
    },
  };
  return { handlers, models, embedder, sentiment };
}

function loadedModels({ embedder, sentiment }: Loaded): ThreadModels {
  return {
    ...(embedder && { embedder: { model: embedder.model, version: embedder.version, dimension: embedder.dimension } }),
    ...(sentiment && { sentiment: { model: sentiment.model, version: sentiment.version } }),
  };
}

/**
 * Sequence model versions with their ONNX sessions, by folder, and how many holders opened each
 * (the worker's served versions and a training gate may hold the same one): a session is freed
 * when its last holder releases it.
 */
const sequenceModels = new Map<string, { model: Promise<SequenceModel>; holders: number }>();

async function openSequenceModel(dir: string): Promise<void> {
  let entry = sequenceModels.get(dir);
  if (!entry) {
    entry = { model: loadSequenceModel(dir), holders: 0 };
    sequenceModels.set(dir, entry);
  }
  entry.holders++;
  try {
    await entry.model;
  } catch (error) {
    // A version that fails to load is not kept: the next open names the file again.
    if (--entry.holders === 0) sequenceModels.delete(dir);
    throw error;
  }
}

async function releaseSequenceModel(dir: string): Promise<void> {
  const entry = sequenceModels.get(dir);
  if (!entry || --entry.holders > 0) return;
  sequenceModels.delete(dir);
  await (await entry.model).release();
}

async function sequenceQueries(dir: string, histories: number[][]): Promise<Float32Array> {
  const entry = sequenceModels.get(dir);
  if (!entry) throw new Error(`sequence model ${dir} is not open in the inference thread`);
  return (await entry.model).queries(histories);
}

async function serve(loaded: Loaded, message: ToThread): Promise<void> {
  if (message.type === 'dispose') {
    await Promise.allSettled([
      loaded.embedder?.dispose(),
      loaded.sentiment?.dispose(),
      ...[...sequenceModels.values()].map(async (entry) => (await entry.model).release()),
    ]);
    // In a worker thread this ends the thread only; native runtime handles would keep it alive.
    process.exit(0);
  }
  try {
    if (message.type === 'sequence') {
      postResults(message.id, [await sequenceQueries(message.dir, message.histories)]);
      return;
    }
    if (message.type === 'sequence-open' || message.type === 'sequence-release') {
      await (message.type === 'sequence-open' ? openSequenceModel(message.dir) : releaseSequenceModel(message.dir));
      postResults(message.id, []);
      return;
    }
    const handler = loaded.handlers.get(message.job);
    if (!handler) throw new Error(`no handler for ${message.job}`);
    postResults(message.id, await handler.run(message.payloads, loaded.models));
  } catch (error) {
    post({ type: 'error', id: message.id, error: describe(error) });
  }
}

load().then(
  (loaded) => {
    port.on('message', (message: ToThread) => void serve(loaded, message));
    post({ type: 'ready', models: loadedModels(loaded) });
  },
  (error: unknown) => post({ type: 'failed', error: describe(error) }),
);
