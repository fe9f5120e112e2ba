/**
 * pnpm bench:storefront — what a shopper's browser gets from the storefront (apps/storefront):
 *
 * - the production build's size: every file Vite writes to dist/ (source maps aside), raw, gzip
 *   and brotli, as a CDN or the shop's server would send them;
 * - in headless Chromium (Debian's, as the browser tests drive it), each run in a fresh context
 *   (cold cache, as a first visit):
 *   - first contentful paint of the home page, against a one-line HTML page from the same server
 *     (Chromium's floor on this machine);
 *   - time until the categories are shown (the first GraphQL answer in the page);
 *   - time to the live rail: a signed-in shopper's first slate over graphql-ws through the
 *     storefront's proxy, against a Node graphql-ws client subscribing to the gateway directly;
 *   - rail update after a view: from opening a product page to the fresh slate on the open socket,
 *     against a Node client's trackEvents VIEW to its push.
 *   All times are from the navigation's (or action's) start, read in the page with
 *   `performance.now()` by a MutationObserver, so no polling interval is in them.
 *
 * Runs a throwaway stack in production mode (benchStack) with BENCH_PRODUCTS products and removes
 * it at the end. BENCH_RUNS runs per measure after BENCH_WARMUP unmeasured ones. Progress on
 * stderr; tables, then as its last line one JSON object on stdout.
 *
 * Functions run in the page are serialised: they use the global `performance`, never an import,
 * and declare no inner functions (see RECORD_MARKS).
 */
import { postGraphQL } from '@serendip/testing';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildStorefront, startStorefrontServer, STOREFRONT_DIST, type StorefrontServer } from '../../apps/storefront/server/serve';
// graphql-ws and ws are dependencies of the gateway, not of this package: borrow its test client.
import { gatewayWsClient } from '../../gateway/test/support/ws-client';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, type RunningStack } from '../../scripts/stack';
import { withAdminRoles } from '../../subgraphs/user/src';
import { launchChromium } from '../support/browser';
import { benchStack, percentile, printColumns } from './harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 24);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 30_000);
const CORES = availableParallelism();

const LIVE_SLATE = 'subscription { recommendationsUpdated(slot: HOME) { recommendationId items { product { id title } } } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }';
const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }';

/** Where the build's files are measured: index.html and assets/, without source maps. */
function buildFiles(dir: string): { file: string; raw: number; gzip: number; brotli: number }[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.map')) files.push(path);
    }
  };
  walk(dir);
  return files.sort().map((path) => {
    const bytes = readFileSync(path);
    return { file: relative(dir, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  });
}

/**
 * Recorded in the page before any of its scripts run: the first time each mark's selector matches,
 * and every value the rail's slate id takes, each at `performance.now()` (ms since navigation).
 * Source text rather than a function: tsx names inner functions with a helper the page lacks.
 */
const RECORD_MARKS = `(() => {
  const marks = {};
  const railChanges = [];
  const watched = { categories: '[data-testid="categories"] li', rail: '[data-testid="for-you"] li', product: '[data-testid="product"] h1' };
  Object.assign(window, { benchMarks: marks, benchRailChanges: railChanges });
  // When the page opens its graphql-ws socket and when the socket is open: where the rail's wait goes.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if ('socket' in marks) return;
      marks.socket = performance.now();
      this.addEventListener('open', () => { marks.socketOpen = performance.now(); }, { once: true });
    }
  };
  new MutationObserver(() => {
    for (const [name, selector] of Object.entries(watched)) if (!(name in marks) && document.querySelector(selector)) marks[name] = performance.now();
    const id = document.querySelector('[data-testid="for-you"]')?.getAttribute('data-recommendation-id') ?? '';
    if (id !== '' && railChanges.at(-1)?.id !== id) railChanges.push({ at: performance.now(), id });
  }).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

interface PageTimes {
  fcp: number;
  marks: Record<string, number>;
  railChanges: { at: number; id: string }[];
}

async function pageTimes(page: Page): Promise<PageTimes> {
  return page.evaluate(() => {
    const w = window as unknown as { benchMarks?: Record<string, number>; benchRailChanges?: { at: number; id: string }[] };
    return {
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      marks: { ...(w.benchMarks ?? {}) },
      railChanges: [...(w.benchRailChanges ?? [])],
    };
  });
}

/** A page in a fresh context (empty cache and storage), with the marks recorder and, when given, a signed-in shopper's token. */
async function openPage(browser: Browser, token: string | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: RECORD_MARKS });
  if (token) await context.addInitScript((value) => window.localStorage.setItem('serendip.token', value), token);
  return context.newPage();
}

const waitUntil = async (page: Page, fn: string, arg?: unknown) => page.waitForFunction(fn, arg, { timeout: TIMEOUT_MS, polling: 50 });

interface Summary {
  runs: number;
  p50: number;
  p90: number;
  max: number;
}

function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { runs: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1) ?? Number.NaN };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  console.error('bench: building the storefront (production)…');
  const buildStarted = performance.now();
  buildStorefront();
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const files = buildFiles(STOREFRONT_DIST);

  const { ports, env, settings, gatewayUrl, dropData } = benchStack(19600, LOOPBACK_CLIENT_LIMITS);
  let stack: RunningStack | null = null;
  let storefront: StorefrontServer | null = null;
  let blank: StorefrontServer | null = null;
  let browser: Browser | null = null;
  const blankDist = mkdtempSync(join(tmpdir(), 'serendip-blank-'));
  const log: string[] = [];
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await storefront?.close().catch(() => undefined);
    await blank?.close().catch(() => undefined);
    rmSync(blankDist, { recursive: true, force: true });
    await stack?.stop();
    await dropData();
  };
  try {
    console.error('bench: starting the stack (production mode, throwaway databases)…');
    await setUpDatabases(settings);
    stack = await startStack({
      env,
      ports,
      onOutput: (name, line) => {
        log.push(`[${name}] ${line}`);
        if (log.length > 500) log.shift();
      },
    });
    const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
      const response = await postGraphQL<T>(gatewayUrl, query, variables, token ? { authorization: `Bearer ${token}` } : {});
      if (!response.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(response.errors)}`);
      return response.data;
    };
    let accounts = 0;
    const signUp = async () => {
      accounts += 1;
      const email = `shopper${accounts}@bench.serendip.test`;
      return (await gql<{ signUp: { token: string } }>(SIGN_UP, { input: { email, password: 'bench-password', displayName: `Shopper ${accounts}` } })).signUp
        .token;
    };

    // A small catalogue, made popular by a crowd, so every new shopper's rail has products at once.
    await signUp();
    await withAdminRoles(settings, (roles) => roles.grant('shopper1@bench.serendip.test'));
    // A grant revokes the account's sessions, so the new role is in the next token.
    const adminToken = (
      await gql<{ signIn: { token: string } }>('mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }', {
        email: 'shopper1@bench.serendip.test',
        password: 'bench-password',
      })
    ).signIn.token;
    const category = await gql<{ createCategory: { id: string } }>('mutation { createCategory(input: { name: "Teaware" }) { id } }', {}, adminToken);
    const productIds: string[] = [];
    for (let index = 0; index < PRODUCTS; index += 1) {
      const product = await gql<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `BENCH-SF-${index}`,
            title: `${['Porcelain', 'Cast iron', 'Glass', 'Clay'][index % 4]} ${['teapot', 'kettle', 'mug', 'tea tin', 'strainer', 'tray'][index % 6]} ${index}`,
            categoryId: category.createCategory.id,
            price: 9 + index,
            currency: 'EUR',
          },
        },
        adminToken,
      );
      productIds.push(product.createProduct.id);
    }
    const crowd = await signUp();
    await gql(
      TRACK,
      { events: productIds.map((productId, index) => ({ type: 'PURCHASE', productId, sessionId: 'crowd', clientEventId: `crowd-${index}` })) },
      crowd,
    );

    storefront = await startStorefrontServer({ port: 0, gatewayUrl });
    writeFileSync(
      join(blankDist, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body><p>Serendip</p></body></html>',
    );
    blank = await startStorefrontServer({ port: 0, gatewayUrl, dist: blankDist });
    browser = await launchChromium();

    const times: Record<'fcp' | 'blankFcp' | 'categories' | 'socket' | 'socketOpen' | 'rail' | 'nodeRail' | 'update' | 'nodeUpdate', number[]> = {
      socket: [],
      socketOpen: [],
      fcp: [],
      blankFcp: [],
      categories: [],
      rail: [],
      nodeRail: [],
      update: [],
      nodeUpdate: [],
    };
    for (let run = 0; run < WARMUP + RUNS; run += 1) {
      const measured = run >= WARMUP;
      console.error(`bench: ${measured ? `run ${run - WARMUP + 1}/${RUNS}` : `warm-up ${run + 1}/${WARMUP}`}`);
      const keep = (name: keyof typeof times, value: number) => measured && times[name].push(value);

      // The floor: a one-line page from the same server.
      const floorPage = await openPage(browser, null);
      await floorPage.goto(blank.url, { waitUntil: 'load' });
      await waitUntil(floorPage, "performance.getEntriesByName('first-contentful-paint').length > 0");
      keep('blankFcp', (await pageTimes(floorPage)).fcp);
      await floorPage.context().close();

      // A guest's first visit: paint, then the categories from the gateway.
      const guest = await openPage(browser, null);
      await guest.goto(storefront.url, { waitUntil: 'load' });
      await waitUntil(guest, "(window.benchMarks ?? {}).categories !== undefined && performance.getEntriesByName('first-contentful-paint').length > 0");
      const guestTimes = await pageTimes(guest);
      keep('fcp', guestTimes.fcp);
      keep('categories', guestTimes.marks.categories!);
      await guest.context().close();

      // A signed-in shopper: the first slate, then a view and the fresh slate on the open socket.
      const shopper = await openPage(browser, await signUp());
      await shopper.goto(storefront.url, { waitUntil: 'load' });
      await waitUntil(shopper, '(window.benchRailChanges ?? []).length > 0');
      const first = await pageTimes(shopper);
      keep('rail', first.railChanges[0]!.at);
      keep('socket', first.marks.socket!);
      keep('socketOpen', first.marks.socketOpen!);
      const viewed = await shopper.evaluate(
        () =>
          document
            .querySelector('[data-testid="for-you"] li a')
            ?.getAttribute('href')
            ?.match(/product\/(\d+)/)?.[1] ?? '',
      );
      const viewAt = await shopper.evaluate((id) => {
        window.location.hash = `#/product/${id}`;
        return performance.now();
      }, viewed);
      await waitUntil(shopper, `(window.benchRailChanges ?? []).some((change) => change.at > ${viewAt})`);
      const after = await pageTimes(shopper);
      keep('update', after.railChanges.find((change) => change.at > viewAt)!.at - viewAt);
      await shopper.context().close();

      // The same from Node, straight to the gateway: what the browser and the proxy add to.
      const token = await signUp();
      const client = gatewayWsClient(gatewayUrl, { authorization: `Bearer ${token}` });
      try {
        const subscribed = performance.now();
        const pushes: { at: number; productIds: string[] }[] = [];
        let notify: (() => void) | null = null;
        const unsubscribe = client.subscribe<{ recommendationsUpdated: { items: { product: { id: string } }[] } }>(
          { query: LIVE_SLATE },
          {
            next: (result) => {
              pushes.push({ at: performance.now(), productIds: result.data?.recommendationsUpdated.items.map((item) => item.product.id) ?? [] });
              notify?.();
            },
            error: () => undefined,
            complete: () => undefined,
          },
        );
        const nextPush = (count: number) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no push from the gateway')), TIMEOUT_MS);
            notify = () => {
              if (pushes.length < count) return;
              clearTimeout(timer);
              resolve();
            };
            notify();
          });
        await nextPush(1);
        keep('nodeRail', pushes[0]!.at - subscribed);
        const sent = performance.now();
        await gql(TRACK, { events: [{ type: 'VIEW', productId: pushes[0]!.productIds[0], sessionId: 'bench', clientEventId: `view-${run}` }] }, token);
        await nextPush(2);
        keep('nodeUpdate', pushes[1]!.at - sent);
        unsubscribe();
      } finally {
        await client.dispose();
      }
    }

    const sizes = files.map((file) => [file.file, kib(file.raw), kib(file.gzip), kib(file.brotli)]);
    const total = (kind: 'raw' | 'gzip' | 'brotli', match: RegExp = /./) =>
      files.filter((file) => match.test(file.file)).reduce((sum, file) => sum + file[kind], 0);
    console.log(`\nProduction build (${buildSeconds.toFixed(1)} s), KiB:`);
    printColumns(['file', 'raw', 'gzip', 'brotli'], [...sizes, ['total', kib(total('raw')), kib(total('gzip')), kib(total('brotli'))]]);

    const rows: [string, Summary, string, Summary | null][] = [
      ['first contentful paint (guest)', summarise(times.fcp), 'one-line page, same server', summarise(times.blankFcp)],
      ['categories shown (guest)', summarise(times.categories), '', null],
      ['live rail: socket created (signed in)', summarise(times.socket), '', null],
      ['live rail: socket open', summarise(times.socketOpen), '', null],
      ['live rail: first slate', summarise(times.rail), 'Node graphql-ws to the gateway', summarise(times.nodeRail)],
      ['rail update after a view', summarise(times.update), 'Node trackEvents to push', summarise(times.nodeUpdate)],
    ];
    console.log(`\nIn Chromium, ${RUNS} runs each after ${WARMUP} warm-up, cold cache; ms (1-min load ${loadAtStart.toFixed(2)} at start, ${CORES} cores):`);
    printColumns(
      ['measure', 'p50', 'p90', 'max', 'baseline', 'baseline p50', 'ratio p50'],
      rows.map(([name, value, baseline, base]) => [
        name,
        value.p50.toFixed(0),
        value.p90.toFixed(0),
        value.max.toFixed(0),
        baseline || '—',
        base ? base.p50.toFixed(0) : '—',
        base ? `${(value.p50 / base.p50).toFixed(2)}×` : '—',
      ]),
    );
    const stackErrors = log.filter((line) => /error|fail/i.test(line));
    if (stackErrors.length > 0)
      console.error(`bench: the stack logged ${stackErrors.length} error lines, the last ones:\n${stackErrors.slice(-10).join('\n')}`);
    const ms = (summary: Summary) => ({ p50: round(summary.p50), p90: round(summary.p90), max: round(summary.max) });
    console.log(
      JSON.stringify({
        bench: 'storefront',
        cores: CORES,
        loadavg_1m_at_start: round(loadAtStart, 2),
        runs: RUNS,
        build_seconds: round(buildSeconds),
        build_bytes: { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli'), js_gzip: total('gzip', /\.js$/), css_gzip: total('gzip', /\.css$/) },
        fcp_ms: ms(summarise(times.fcp)),
        blank_fcp_ms: ms(summarise(times.blankFcp)),
        fcp_ratio_p50: round(summarise(times.fcp).p50 / summarise(times.blankFcp).p50, 2),
        categories_ms: ms(summarise(times.categories)),
        socket_created_ms: ms(summarise(times.socket)),
        socket_open_ms: ms(summarise(times.socketOpen)),
        live_rail_ms: ms(summarise(times.rail)),
        node_first_slate_ms: ms(summarise(times.nodeRail)),
        live_rail_ratio_p50: round(summarise(times.rail).p50 / summarise(times.nodeRail).p50, 2),
        rail_update_ms: ms(summarise(times.update)),
        node_update_ms: ms(summarise(times.nodeUpdate)),
        rail_update_ratio_p50: round(summarise(times.update).p50 / summarise(times.nodeUpdate).p50, 2),
      }),
    );
  } catch (error) {
    console.error(log.slice(-40).join('\n'));
    throw error;
  } finally {
    await cleanup();
  }
}

main().then(
  // Keep-alive sockets and Redis handles of borrowed clients must not keep the process up.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
