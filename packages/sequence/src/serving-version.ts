import { performance } from 'node:perf_hooks';

export interface ServingVersionOptions<T> {
  /** The version the registry says serves now; null when none does. */
  current: () => Promise<string | null>;
  /** Loads a version; a rejection leaves the loaded one in place. */
  load: (version: string) => Promise<T>;
  /** Frees a version that was replaced. */
  release?: (model: T) => Promise<void> | void;
  /** How often the registry is read. */
  intervalMs: number;
  log: { info(message: string): void; error(message: string): void };
}

export interface Served<T> {
  version: string;
  model: T;
}

/**
 * Follows the registry's serving version: each process (worker, recommendation replica) reads it
 * every `intervalMs`, loads a new version beside the old one, and swaps only once it loaded, so a
 * retrain reaches every process without a restart and a request never sees a half-loaded model.
 * A version that fails to load is logged once with its reason and not tried again until the
 * registry names another; the previous version keeps serving.
 */
export class ServingVersion<T> {
  private served: Served<T> | null = null;
  private failed: string | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ServingVersionOptions<T>) {}

  get(): Served<T> | null {
    return this.served;
  }

  /** Reads the registry once and loads what changed; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Refreshes now and then every `intervalMs` until `stop`. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    const served = this.served;
    this.served = null;
    if (served) await this.options.release?.(served.model);
  }

  private async poll(): Promise<void> {
    const { current, load, release, log } = this.options;
    let version: string | null;
    try {
      version = await current();
    } catch (error) {
      log.error(`sequence model registry unreadable: ${(error as Error).message}`);
      return;
    }
    // The registry naming no version (all retired by hand) keeps the last one: serving nothing
    // would be worse than serving the newest model that passed its gate.
    if (version === null || version === this.served?.version || version === this.failed) return;
    try {
      const started = performance.now();
      const model = await load(version);
      const previous = this.served;
      this.served = { version, model };
      this.failed = null;
      // The load time is what a new version costs each process (a replica's index build grows with the catalogue).
      log.info(`sequence model ${version} serving, loaded in ${Math.round(performance.now() - started)} ms${previous ? ` (was ${previous.version})` : ''}`);
      if (previous) await release?.(previous.model);
    } catch (error) {
      this.failed = version;
      log.error(`sequence model ${version} refused, ${this.served ? `${this.served.version} keeps serving` : 'none serving'}: ${(error as Error).message}`);
    }
  }
}
