import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a worker process sends its parent over IPC once it serves its queues. */
const READY = 'serendip:worker-ready';

const MAIN = join(__dirname, `main${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
/** Only the sources need tsx; a name in a variable keeps `pnpm build`'s bundle from importing it (production installs have no tsx). */
const TSX = 'tsx';

/**
 * Tells a parent that forked this process (a WorkerPool) that it is serving, and shuts down as
 * on SIGTERM if that parent goes away, so a pool whose owner died leaves no workers behind.
 */
export function announceReady(): void {
  if (!process.send) return;
  process.send(READY);
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

export interface WorkerPoolOptions {
  /** Worker processes to fork; each loads its own models. */
  processes: number;
  /** Added to this process's environment for the children (worker config). */
  env?: NodeJS.ProcessEnv;
  /** How long a process may take to load its models and connect. @default 120000 */
  startTimeoutMs?: number;
  /** How long `stop` waits for a process to finish its jobs before killing it. @default 30000 */
  stopTimeoutMs?: number;
}

export interface WorkerPool {
  readonly processes: readonly ChildProcess[];
  /** Sends `signal` to process `index` and resolves with its exit code (null when killed by a signal). */
  signal(index: number, signal: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM to every process (each finishes the jobs in hand), SIGKILL after `stopTimeoutMs`. */
  stop(): Promise<(number | null)[]>;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/**
 * Forks `processes` worker processes running the real entry (`main.ts`) and resolves once each
 * has loaded its models and connected. Processes rather than threads because one process's
 * models, event loop and Redis connections must not slow another's, and a process that dies
 * takes nothing else with it: its jobs go to the others when their locks expire.
 * Their stdout goes to this process's stderr, so a caller's stdout stays its own.
 */
export async function startWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  // tsx's loader (one process per child, unlike the tsx CLI which would put a launcher between
  // us and the worker and swallow the signals this pool and its tests send).
  const execArgv = MAIN.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve(TSX)).href] : [];
  const children = Array.from({ length: options.processes }, () =>
    fork(MAIN, [], { env: { ...process.env, ...options.env }, execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] }),
  );
  for (const child of children) child.stdout?.pipe(process.stderr);

  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const signal = async (index: number, sent: NodeJS.Signals): Promise<number | null> => {
    const child = children[index];
    if (!child) throw new Error(`no worker process ${index}`);
    const done = exited(child);
    if (child.exitCode === null && child.signalCode === null) child.kill(sent);
    return done;
  };
  const stop = () =>
    Promise.all(
      children.map(async (child, index) => {
        const force = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        try {
          return await signal(index, 'SIGTERM');
        } finally {
          clearTimeout(force);
        }
      }),
    );

  try {
    await Promise.all(children.map((child) => ready(child, options.startTimeoutMs ?? 120_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes: children, signal, stop };
}

function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => fail(new Error(`worker process ${child.pid} was not ready within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (message !== READY) return;
      cleanup();
      resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`worker process ${child.pid} exited (${signal ?? `code ${code}`}) before it was ready`));
    const cleanup = () => {
      clearTimeout(timeout);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
