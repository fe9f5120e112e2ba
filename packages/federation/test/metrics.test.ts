import { ApolloServer } from '@apollo/server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { AppError, boundedLabel, ErrorCode, formatError, requestMetrics, ServiceMetrics } from '../src';
import { logger } from '@serendip/telemetry';

/** The value of one series in a registry's text, or NaN when it is not there. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? Number.NaN);
}

describe('ServiceMetrics', () => {
  it("publishes its own series and the process's, each labelled with the service", async () => {
    const metrics = new ServiceMetrics('catalogue');
    const jobs = metrics.counter({ name: 'serendip_test_things_total', help: 'Things.', labelNames: ['kind'] });
    jobs.inc({ kind: 'a' }, 3);
    const text = await metrics.text();
    expect(sample(text, 'serendip_test_things_total{kind="a",service="catalogue"}')).toBe(3);
    // prom-client's process metrics, and the lag and memory series, registered like any other (one HELP and TYPE each).
    expect(sample(text, 'process_resident_memory_bytes{service="catalogue"}')).toBeGreaterThan(0);
    expect(sample(text, 'serendip_process_memory_bytes{process="catalogue",kind="heap_used",service="catalogue"}')).toBeGreaterThan(0);
    expect(sample(text, 'serendip_event_loop_lag_ms{process="catalogue",stat="p99",service="catalogue"}')).toBeGreaterThanOrEqual(0);
    expect(text.match(/^# TYPE serendip_(event_loop_lag_ms|process_memory_bytes) gauge$/gm)).toHaveLength(2);
  });

  it('reads collect() series at scrape time', async () => {
    const metrics = new ServiceMetrics('worker');
    let depth = 4;
    metrics.gauge({
      name: 'serendip_test_depth',
      help: 'Depth.',
      collect() {
        this.set(depth);
      },
    });
    expect(sample(await metrics.text(), 'serendip_test_depth{service="worker"}')).toBe(4);
    depth = 9;
    expect(sample(await metrics.text(), 'serendip_test_depth{service="worker"}')).toBe(9);
  });

  describe('over HTTP', () => {
    let server: Server;
    let base: string;
    const metrics = new ServiceMetrics('gateway');
    metrics.gauge({
      name: 'serendip_test_broken',
      help: 'A series whose source fails.',
      collect() {
        if (process.env.SERENDIP_TEST_BROKEN_METRIC === '1') throw new Error('secret detail from the driver');
        this.set(1);
      },
    });

    beforeAll(async () => {
      server = createServer((req, res) => {
        void metrics.answer(req, res).then((answered) => {
          if (!answered) {
            res.writeHead(404);
            res.end();
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    afterEach(() => delete process.env.SERENDIP_TEST_BROKEN_METRIC);

    it('answers GET /metrics in the text exposition format and leaves other paths to the caller', async () => {
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(sample(await response.text(), 'serendip_test_broken{service="gateway"}')).toBe(1);
      expect((await fetch(`${base}/graphql`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST', body: '{}' })).status).toBe(405);
    });

    it('answers 500 without the cause when a series cannot be read', async () => {
      process.env.SERENDIP_TEST_BROKEN_METRIC = '1';
      const errors = jest.spyOn(logger(), 'error').mockImplementation(() => undefined);
      try {
        const response = await fetch(`${base}/metrics`);
        expect(response.status).toBe(500);
        expect(await response.text()).toBe('metrics unavailable\n');
        expect(errors).toHaveBeenCalledWith(
          { err: expect.objectContaining({ message: expect.stringContaining('secret detail from the driver') }) },
          '/metrics failed',
        );
      } finally {
        errors.mockRestore();
      }
    });
  });
});

describe('boundedLabel', () => {
  it('passes the first values through and reports later new ones as other', () => {
    const label = boundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'b', 'd'].map(label)).toEqual(['a', 'b', 'other', 'a', 'b', 'other']);
  });
});

describe('requestMetrics', () => {
  it('times each request by operation and outcome and counts errors by the code the client sees', async () => {
    const metrics = new ServiceMetrics('feedback');
    const apollo = new ApolloServer({
      schema: buildSchema('type Query { ok: Int, bad: Int, broken: Int }'),
      rootValue: {
        ok: () => 1,
        bad: () => {
          throw new AppError(ErrorCode.BadUserInput, 'no');
        },
        broken: () => {
          throw new Error('select * from secrets');
        },
      },
      formatError,
      plugins: [requestMetrics(metrics)],
    });
    await apollo.start();
    const errors = jest.spyOn(logger(), 'error').mockImplementation(() => undefined);
    try {
      await apollo.executeOperation({ query: 'query Fine { ok }' });
      await apollo.executeOperation({ query: 'query Fine { ok }' });
      await apollo.executeOperation({ query: 'query Refused { bad }' });
      await apollo.executeOperation({ query: '{ broken }' });
    } finally {
      errors.mockRestore();
      await apollo.stop();
    }
    const values = async (name: string) =>
      (await metrics.registry.getSingleMetric(name)!.get()).values.map((entry) => ({
        metricName: (entry as { metricName?: string }).metricName,
        labels: entry.labels,
        value: entry.value,
      }));
    const counts = (await values('serendip_graphql_request_duration_seconds')).filter((entry) => entry.metricName?.endsWith('_count'));
    expect(counts).toEqual([
      { metricName: 'serendip_graphql_request_duration_seconds_count', labels: { operation: 'Fine', outcome: 'ok' }, value: 2 },
      { metricName: 'serendip_graphql_request_duration_seconds_count', labels: { operation: 'Refused', outcome: 'error' }, value: 1 },
      { metricName: 'serendip_graphql_request_duration_seconds_count', labels: { operation: 'anonymous', outcome: 'error' }, value: 1 },
    ]);
    expect(await values('serendip_graphql_errors_total')).toEqual([
      { metricName: undefined, labels: { operation: 'Refused', code: 'BAD_USER_INPUT' }, value: 1 },
      { metricName: undefined, labels: { operation: 'anonymous', code: 'INTERNAL_SERVER_ERROR' }, value: 1 },
    ]);
    expect(await metrics.text()).not.toContain('secrets');
  });
});
