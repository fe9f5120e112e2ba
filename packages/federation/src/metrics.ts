import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';
import { processEventLoopLag } from './event-loop-lag';
import { memoryByKind } from './memory-metrics';
import { logger } from '@serendip/telemetry';

export type { Counter, Gauge, Histogram } from 'prom-client';

/** Path every process publishes its metrics on. */
export const METRICS_PATH = '/metrics';

/**
 * Latency buckets in seconds, from a cached field (a few ms) to an upstream timeout (tens of
 * seconds): one set for every latency histogram, so that dashboards can compare them.
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Distinct values a label of client-chosen text (an operation name) takes before the rest count as `other`. */
export const MAX_LABEL_VALUES = 200;

/**
 * A label whose values come from clients (operation names): each new value is a new series in
 * Prometheus, so past `max` distinct values the rest are reported as `other` rather than let a
 * client grow the server's memory and the scrape without bound.
 */
export function boundedLabel(max = MAX_LABEL_VALUES): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}

type Config<T extends { name: string }> = Omit<T, 'registers'> & { name: `serendip_${string}` };

/**
 * The metrics of one process (`service`: gateway, a subgraph, worker) in a registry of its own,
 * with prom-client's process metrics (CPU, memory, handles, GC, event loop) and a `service` label
 * on every series, so that one Prometheus query can compare processes. A registry per server
 * rather than prom-client's global one: tests start several servers in one process.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    // Measuring from start-up, so that the first scrape already covers a window.
    const lag = processEventLoopLag();
    // `process` as well as `service`: the dashboards and the soak benchmark group by it.
    this.gauge({
      name: 'serendip_event_loop_lag_ms',
      help: `Event-loop lag over the last ${lag.windowMs / 1000} s: its p99 and mean.`,
      labelNames: ['process', 'stat'],
      collect() {
        const { p99Ms, meanMs } = lag.current();
        this.set({ process: service, stat: 'p99' }, p99Ms);
        this.set({ process: service, stat: 'mean' }, meanMs);
      },
    });
    this.gauge({
      name: 'serendip_process_memory_bytes',
      help: 'Memory of this process: resident, V8 heap used and allocated, outside the heap.',
      labelNames: ['process', 'kind'],
      collect() {
        for (const [kind, bytes] of memoryByKind()) this.set({ process: service, kind }, bytes);
      },
    });
  }

  counter<L extends string>(config: Config<CounterConfiguration<L>>): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Config<GaugeConfiguration<L>>): Gauge<L> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Config<HistogramConfiguration<L>>): Histogram<L> {
    return new Histogram({ buckets: LATENCY_BUCKETS, ...config, registers: [this.registry] });
  }

  /** The Prometheus text exposition of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * Answers `GET /metrics` (true), or leaves any other request to the caller (false). No
   * authentication: the series hold counts and timings, no shopper data or query text; a
   * deployment keeps the port off the public network (docs/operations.md).
   */
  async answer(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (new URL(req.url ?? '/', 'http://metrics').pathname !== METRICS_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return true;
    }
    try {
      const body = await this.text();
      res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      // A collect callback failed (a pool or queue that does not answer): say so in the log, not to the scraper.
      logger().error({ err: error }, '/metrics failed');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics unavailable\n');
    }
    return true;
  }
}
