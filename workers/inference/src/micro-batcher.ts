import { performance } from 'node:perf_hooks';

export interface MicroBatcherOptions {
  /** Most payloads per call of `runBatch`. */
  maxSize: number;
  /** How long the oldest waiting payload may wait for others before its batch runs anyway. */
  maxWaitMs: number;
}

interface Pending<P, R> {
  payload: P;
  arrivedAt: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Gathers payloads submitted one by one (one per BullMQ job) into batches for one model call
 * and hands each caller its own result.
 *
 * One batch runs at a time: payloads that arrive meanwhile wait and leave together as the next
 * batch, so a busy model gets full batches while a quiet one answers after `maxWaitMs`.
 * When a batch fails, its payloads are retried one by one, so one payload the model chokes on
 * fails its own job and not the 31 others that happened to share its batch.
 */
export class MicroBatcher<P, R> {
  private readonly pending: Pending<P, R>[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runBatch: (payloads: P[]) => Promise<R[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(payload: P): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ payload, arrivedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.pending.length === 0) return;
    if (this.pending.length >= this.options.maxSize) {
      this.flush();
      return;
    }
    if (this.timer) return;
    const waited = performance.now() - this.pending[0]!.arrivedAt;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.options.maxWaitMs - waited));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.options.maxSize);
    this.running = true;
    void this.settle(batch).finally(() => {
      this.running = false;
      this.schedule();
    });
  }

  private async settle(batch: Pending<P, R>[]): Promise<void> {
    try {
      const results = await this.call(batch.map((entry) => entry.payload));
      batch.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const entry of batch) {
        try {
          const [result] = await this.call([entry.payload]);
          entry.resolve(result!);
        } catch (single) {
          entry.reject(single);
        }
      }
    }
  }

  private async call(payloads: P[]): Promise<R[]> {
    const results = await this.runBatch(payloads);
    if (results.length !== payloads.length) throw new Error(`batch of ${payloads.length} answered with ${results.length} results`);
    return results;
  }
}
