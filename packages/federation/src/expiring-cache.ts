/**
 * Values kept for `ttlMs`, at most `maxEntries` of them (the oldest written goes first): for data
 * many requests read and that may be a little late, such as lists shared by every shopper or
 * statistics of one product. A loaded value is stored as its promise, so requests that miss at
 * once share one load, and a load that fails is forgotten rather than kept.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The kept value of `key`, or `load()`'s, kept from now on. */
  get(key: K, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) return entry.value;
    const value = load();
    this.set(key, value);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /**
   * The values of `keys`: kept ones as they are, the others from one `load(missing)`, which returns
   * a value for every key it is given.
   */
  async getMany(keys: readonly K[], load: (missing: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
    const now = this.now();
    const found = new Map<K, Promise<V>>();
    const missing: K[] = [];
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && entry.expires > now) found.set(key, entry.value);
      else missing.push(key);
    }
    if (missing.length > 0) {
      const loading = load(missing);
      for (const key of missing)
        found.set(
          key,
          this.get(key, () => loading.then((loaded) => loaded.get(key)!)),
        );
    }
    const values = await Promise.all(keys.map((key) => found.get(key)!));
    return new Map(keys.map((key, i) => [key, values[i]!]));
  }

  clear(): void {
    this.entries.clear();
  }

  private set(key: K, value: Promise<V>): void {
    // Re-inserting moves the key to the end, so the first key is always the oldest written.
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
