/**
 * pnpm bench:browse — anonymous visitors browsing the catalogue, BENCH_CONCURRENCY (50) callers in
 * a closed loop over keep-alive connections, two queries:
 *   categories: `{ categories { id name } }`, one subgraph (catalogue);
 *   products:   `{ products(first: 10) { nodes { id title price ratingSummary { count average } } } }`,
 *               two (catalogue, then feedback for the ratings).
 * Each query runs against one throwaway stack in production mode, through several gateway
 * processes over the same subgraphs, and straight to the subgraphs:
 *   gateway:            the stack's gateway, at its defaults (the response cache on);
 *   gateway, no cache:  this checkout's gateway with RESPONSE_CACHE_TTL_MS=0;
 *   gateway, baseline:  with BENCH_BASELINE_ROOT=<folder holding another checkout> (e.g. main's
 *                       files, `git archive`d, with this checkout's node_modules linked in), that
 *                       checkout's gateway: the numbers before this branch, in the same run;
 *   direct:             the calls the query plan makes, sent by the bench straight to the subgraphs
 *                       (products: the catalogue's page, then one `_entities` call to feedback).
 * The cases take turns, BENCH_ROUNDS (2) rounds of BENCH_SECONDS (8) each after a 2 s warm-up, so
 * other load on this shared machine falls on all of them. Besides req/s and p50/p99, each case
 * reads the CPU time of every process from /proc over its measured seconds and divides it by the
 * requests served: a gateway's `ms/req` is what it costs per request, whatever the subgraphs do.
 * BENCH_CPU_PROFILE=<dir> runs the gateways under `node --cpu-prof` into that folder.
 * Prints a table, then as its last line one JSON object.
 */
import { signIdentity, ANONYMOUS, SUBGRAPHS } from '@serendip/federation';
import { postGraphQL } from '@serendip/testing';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack } from '../../scripts/stack';
import { withAdminRoles } from '../../subgraphs/user/src';
import { benchStack, printColumns, startExtraGateway, processCpuSeconds, runLoad, serverPids, type LoadResult } from './harness';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 40);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;
const ROOT = join(__dirname, '..', '..');

const CATEGORIES = '{ categories { id name } }';
const PRODUCTS_PAGE = '{ products(first: 10) { nodes { id title price ratingSummary { count average } } } }';
/** What the gateway's plan sends for PRODUCTS_PAGE: the catalogue's page, then the ratings of its products. */
const CATALOGUE_PAGE = '{ products(first: 10) { nodes { __typename id title price } } }';
const RATINGS = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { ratingSummary { count average } } } }';

type Via = 'gateway' | 'gateway, no cache' | 'gateway, baseline' | 'direct';

interface Case {
  name: string;
  query: 'categories' | 'products';
  via: Via;
  task: () => Promise<boolean>;
}

interface Measured extends LoadResult {
  query: Case['query'];
  via: Case['via'];
  /** CPU ms per request of each process (and of the bench's own client). */
  cpuMsPerRequest: Record<string, number>;
}

/** One POST, read whole; true when it answered 200 with data and no errors. */
async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<{ ok: boolean; data?: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  return { ok: response.status === 200 && !body.errors && body.data != null, data: body.data };
}

async function main(): Promise<void> {
  const bench = benchStack(16000, LOOPBACK_CLIENT_LIMITS);
  const { ports, settings } = bench;
  await setUpDatabases(settings);
  console.error('bench: starting the stack (production mode, throwaway databases)…');
  const stack = await startStack({
    env: bench.env,
    ports,
    ...(CPU_PROFILE_DIR ? { nodeFlags: { gateway: ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, 'gateway')}`] } } : {}),
  });
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const extras: { via: Via; root: string; extra: NodeJS.ProcessEnv }[] = [
    { via: 'gateway, no cache', root: ROOT, extra: { RESPONSE_CACHE_TTL_MS: '0' } },
    ...(BASELINE_ROOT ? [{ via: 'gateway, baseline' as const, root: BASELINE_ROOT, extra: {} }] : []),
  ];
  const gateways = new Map<Via, { url: string; pid: number }>([['gateway', { url: bench.gatewayUrl, pid: stack.children.get('gateway')!.pid! }]]);
  const started: ChildProcess[] = [];
  try {
    for (const [index, { via, root, extra }] of extras.entries()) {
      const port = ports.worker + 1 + index;
      const child = await startExtraGateway(via, root, bench.env, port, extra, CPU_PROFILE_DIR);
      started.push(child);
      gateways.set(via, { url: url(port), pid: child.pid! });
    }
    await seed(bench.gatewayUrl, settings);
    // The gateway signs a fresh identity for each call; the direct side signs one for every
    // subgraph and renews it well within its 60 s lifetime.
    let identity = { token: '', signedAt: 0 };
    const identityHeader = () => {
      if (Date.now() - identity.signedAt > 20_000) identity = { token: signIdentity(bench.env.GATEWAY_SECRET!, ANONYMOUS, SUBGRAPHS), signedAt: Date.now() };
      return { 'x-serendip-identity': identity.token };
    };
    const cases: Case[] = [];
    for (const [via, gateway] of gateways) {
      cases.push({ name: `categories via ${via}`, query: 'categories', via, task: async () => (await post(gateway.url, CATEGORIES, {}, {})).ok });
      cases.push({ name: `products via ${via}`, query: 'products', via, task: async () => (await post(gateway.url, PRODUCTS_PAGE, {}, {})).ok });
    }
    cases.push({
      name: 'categories direct',
      query: 'categories',
      via: 'direct',
      task: async () => (await post(url(ports.catalogue), CATEGORIES, {}, identityHeader())).ok,
    });
    cases.push({
      name: 'products direct',
      query: 'products',
      via: 'direct',
      task: async () => {
        const page = await post(url(ports.catalogue), CATALOGUE_PAGE, {}, identityHeader());
        const nodes = (page.data as { products: { nodes: { __typename: string; id: string }[] } } | undefined)?.products.nodes;
        if (!page.ok || !nodes) return false;
        const representations = nodes.map((node) => ({ __typename: node.__typename, id: node.id }));
        return (await post(url(ports.feedback), RATINGS, { representations }, identityHeader())).ok;
      },
    });
    for (const check of cases) if (!(await check.task())) throw new Error(`${check.name} failed before measuring`);

    const pids = new Map<string, number>([
      ...[...gateways].map(([via, gateway]): [string, number] => [via, gateway.pid]),
      ['catalogue', stack.children.get('catalogue')!.pid!],
      ['feedback', stack.children.get('feedback')!.pid!],
      ...serverPids(),
    ]);
    const load = [loadavg()[0]!];
    const results: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const current of cases) {
        console.error(`bench: round ${round}/${ROUNDS}, ${current.name}`);
        await runLoad(current.name, current.task, { concurrency: CONCURRENCY, seconds: 2, warmupSeconds: 0 });
        const before = new Map([...pids].map(([name, pid]) => [name, processCpuSeconds(pid)]));
        const self = process.cpuUsage();
        const result = await runLoad(current.name, current.task, { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 0 });
        const cpuMsPerRequest: Record<string, number> = {};
        for (const [name, pid] of pids) {
          const start = before.get(name);
          const end = processCpuSeconds(pid);
          if (start != null && end != null) cpuMsPerRequest[name] = ((end - start) * 1000) / result.requests;
        }
        const { user, system } = process.cpuUsage(self);
        cpuMsPerRequest.bench = (user + system) / 1000 / result.requests;
        results.push({ ...result, name: `${current.name} (round ${round})`, query: current.query, via: current.via, cpuMsPerRequest });
        load.push(loadavg()[0]!);
      }
    }
    const columns = [...gateways.keys(), 'catalogue', 'feedback', 'mariadb', 'redis', 'bench'];
    printColumns(
      ['case', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', ...columns.map((name) => `${name} ms/req`)],
      results.map((row) => [
        row.name,
        String(row.requests),
        String(row.errors),
        row.perSecond.toFixed(1),
        row.p50Ms.toFixed(2),
        row.p99Ms.toFixed(2),
        ...columns.map((name) => (row.cpuMsPerRequest[name] === undefined ? '' : row.cpuMsPerRequest[name].toFixed(3))),
      ]),
    );
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const round3 = (value: number) => Number(value.toFixed(3));
    const summary = (query: Case['query'], via: Via) => {
      const rows = results.filter((row) => row.query === query && row.via === via);
      const cpu = Object.fromEntries(
        [...new Set(rows.flatMap((row) => Object.keys(row.cpuMsPerRequest)))].map((name) => [
          name,
          round3(mean(rows.map((row) => row.cpuMsPerRequest[name] ?? 0))),
        ]),
      );
      return {
        req_per_s: Number(mean(rows.map((row) => row.perSecond)).toFixed(1)),
        p50_ms: Number(mean(rows.map((row) => row.p50Ms)).toFixed(2)),
        p99_ms: Number(mean(rows.map((row) => row.p99Ms)).toFixed(2)),
        errors: rows.reduce((sum, row) => sum + row.errors, 0),
        cpu_ms_per_request: cpu,
      };
    };
    const queries = Object.fromEntries(
      (['categories', 'products'] as const).map((query) => {
        const direct = summary(query, 'direct');
        const gateway = summary(query, 'gateway');
        const others = [...gateways.keys()].filter((via) => via !== 'gateway');
        return [
          query,
          {
            // Each gateway: its figures, what it adds to the direct calls' median, and its throughput against the direct calls'.
            ...Object.fromEntries(
              [...gateways.keys()].map((via) => {
                const figures = summary(query, via);
                return [
                  via,
                  { ...figures, added_p50_ms: round3(figures.p50_ms - direct.p50_ms), ratio_req_per_s_vs_direct: round3(figures.req_per_s / direct.req_per_s) },
                ];
              }),
            ),
            direct,
            // The stack's gateway against each other one, req/s and gateway CPU per request.
            ...Object.fromEntries(
              others.map((via) => {
                const other = summary(query, via);
                return [
                  `gateway_vs_${via.replace('gateway, ', '').replace(/\W+/g, '_')}`,
                  {
                    ratio_req_per_s: round3(gateway.req_per_s / other.req_per_s),
                    ratio_cpu_ms_per_request: round3(gateway.cpu_ms_per_request.gateway! / other.cpu_ms_per_request[via]!),
                  },
                ];
              }),
            ),
          },
        ];
      }),
    );
    const result = {
      bench: 'browse',
      concurrency: CONCURRENCY,
      seconds_per_case: SECONDS,
      rounds: ROUNDS,
      products: PRODUCTS,
      load_1m: { start: load[0], max: Math.max(...load), end: load.at(-1) },
      ...queries,
    };
    for (const query of ['categories', 'products'] as const) {
      const line = [...gateways.keys(), 'direct' as const].map((via) => `${summary(query, via).req_per_s} req/s ${via === 'direct' ? 'direct' : `via ${via}`}`);
      console.log(`${query}: ${line.join(', ')}`);
    }
    console.log(JSON.stringify(result));
  } finally {
    for (const child of started) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await stack.stop();
    await bench.dropData();
  }
}

/** An admin's category with PRODUCTS products, and a few reviews, so every product has a rating summary to show. */
async function seed(gateway: string, settings: Parameters<typeof withAdminRoles>[0]): Promise<void> {
  const password = 'bench-password';
  const signUp = async (email: string) => {
    const response = await postGraphQL<{ signUp: { token: string } }>(gateway, 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email, password, displayName: email.split('@')[0] },
    });
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.signUp.token;
  };
  await signUp('admin@bench.serendip.test');
  await withAdminRoles(settings, (roles) => roles.grant('admin@bench.serendip.test'));
  const admin = await postGraphQL<{ signIn: { token: string } }>(
    gateway,
    'mutation ($password: String!) { signIn(email: "admin@bench.serendip.test", password: $password) { token } }',
    {
      password,
    },
  );
  const asAdmin = { authorization: `Bearer ${admin.data!.signIn.token}` };
  const categories: string[] = [];
  for (const name of ['Shoes', 'Kitchen', 'Garden', 'Books']) {
    const created = await postGraphQL<{ createCategory: { id: string } }>(
      gateway,
      'mutation ($name: String!) { createCategory(input: { name: $name }) { id } }',
      { name },
      asAdmin,
    );
    categories.push(created.data!.createCategory.id);
  }
  const products: string[] = [];
  for (let index = 0; index < PRODUCTS; index += 1) {
    const response = await postGraphQL<{ createProduct: { id: string } }>(
      gateway,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `BROWSE-${index}`, title: `Browse product ${index}`, categoryId: categories[index % categories.length], price: 10 + index } },
      asAdmin,
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    products.push(response.data.createProduct.id);
  }
  const shopper = { authorization: `Bearer ${await signUp('shopper@bench.serendip.test')}` };
  for (const [index, productId] of products.slice(-10).entries()) {
    await postGraphQL(
      gateway,
      'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
      { input: { productId, rating: 1 + (index % 5), text: 'A fair product for the browsing benchmark.' } },
      shopper,
    );
  }
  console.error(`bench: seeded ${categories.length} categories, ${products.length} products, 10 reviews`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
