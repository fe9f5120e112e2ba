import { performance } from 'node:perf_hooks';

/** The versions a process must have loaded, as the registry says now. */
export interface WantedVersions {
  /** The version that serves every shopper outside an experiment; null when none does. */
  serving: string | null;
  /** Versions that arms of running experiments name, served to those arms' shoppers beside the serving one. */
  pinned: readonly string[];
}

export interface ServedVersionsOptions<T> {
  wanted: () => Promise<WantedVersions>;
  /** Loads a version; a rejection leaves the loaded ones in place. */
  load: (version: string) => Promise<T>;
  /** Frees a version no longer wanted. */
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
 * Follows the registry: the serving version, and the versions running experiments pin for their
 * arms (so two versions can be served side by side and compared on the same slot). Each process
 * (worker, recommendation replica) reads the registry every `intervalMs`, loads each new version
 * beside the loaded ones, and swaps the serving one only once it loaded, so a retrain reaches every
 * process without a restart and a request never sees a half-loaded model. A version that fails to
 * load is logged once with its reason and not tried again until the registry stops naming it; the
 * previous serving version keeps serving.
 */
export class ServedVersions<T> {
  private readonly loaded = new Map<string, T>();
  private serving: string | null = null;
  private readonly failed = new Set<string>();
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ServedVersionsOptions<T>) {}

  /** The serving version, or the given one when it is loaded; null when neither is. */
  get(version?: string | null): Served<T> | null {
    const name = version ?? this.serving;
    const model = name === null ? undefined : this.loaded.get(name);
    return model === undefined ? null : { version: name!, model };
  }

  /** Every loaded version, the serving one first. */
  all(): Served<T>[] {
    const versions = [...this.loaded.keys()].sort((a, b) => Number(b === this.serving) - Number(a === this.serving));
    return versions.map((version) => ({ version, model: this.loaded.get(version)! }));
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
    const models = [...this.loaded.values()];
    this.loaded.clear();
    this.serving = null;
    for (const model of models) await this.options.release?.(model);
  }

  private async poll(): Promise<void> {
    const { wanted, log } = this.options;
    let registry: WantedVersions;
    try {
      registry = await wanted();
    } catch (error) {
      log.error(`sequence model registry unreadable: ${(error as Error).message}`);
      return;
    }
    // The registry naming no serving version (all retired by hand) keeps the last one: serving
    // nothing would be worse than serving the newest model that passed its gate.
    const serving = registry.serving ?? this.serving;
    const keep = new Set([...(serving === null ? [] : [serving]), ...registry.pinned]);
    for (const version of this.failed) if (!keep.has(version)) this.failed.delete(version);

    if (serving !== null && serving !== this.serving) {
      const loadMs = await this.ensure(serving, 'serving');
      if (loadMs !== null) {
        // The load time is what a new version costs each process (a replica's index build grows with the catalogue).
        log.info(`sequence model ${serving} serving, loaded in ${loadMs} ms${this.serving ? ` (was ${this.serving})` : ''}`);
        this.serving = serving;
      }
    }
    for (const version of registry.pinned) {
      if (this.loaded.has(version)) continue;
      const loadMs = await this.ensure(version, 'pinned');
      if (loadMs !== null) log.info(`sequence model ${version} loaded in ${loadMs} ms for the experiments that pin it`);
    }
    for (const [version, model] of this.loaded) {
      if (keep.has(version) || version === this.serving) continue;
      this.loaded.delete(version);
      await this.options.release?.(model);
    }
  }

  /** Loads the version unless it is loaded (0 ms) or failed before (null); the milliseconds it took, null when it failed. */
  private async ensure(version: string, role: 'serving' | 'pinned'): Promise<number | null> {
    if (this.loaded.has(version)) return 0;
    if (this.failed.has(version)) return null;
    try {
      const started = performance.now();
      this.loaded.set(version, await this.options.load(version));
      return Math.round(performance.now() - started);
    } catch (error) {
      this.failed.add(version);
      const fallback = role === 'serving' ? (this.serving ? `${this.serving} keeps serving` : 'none serving') : 'its arms get no sequence candidates';
      this.options.log.error(`sequence model ${version} refused, ${fallback}: ${(error as Error).message}`);
      return null;
    }
  }
}
