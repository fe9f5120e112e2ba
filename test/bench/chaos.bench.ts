/**
 * pnpm bench:chaos — faults under load (docs/reliability.md, "Chaos benchmark"). A throwaway stack in
 * production mode takes steady, mixed load from loopback while, one at a time, a dependency or a
 * process fails and comes back:
 *
 *   mariadb         MariaDB stopped (`start-stop-daemon --stop`), down CHAOS_OUTAGE_SECONDS, started
 *                   again by scripts/services.sh
 *   redis           Redis shut down without saving (it keeps no data: queues, pub/sub, revocations
 *                   are gone), down CHAOS_OUTAGE_SECONDS, started again by scripts/services.sh
 *   worker, user, catalogue, recommendation, feedback
 *                   SIGKILL, then started again at once, as an orchestrator restarts a crashed one
 *   gateway         SIGTERM (it drains), then started again
 *
 * MariaDB and Redis are the machine's shared servers: this bench restarts them, so it must not run
 * beside anything else that uses them (tests, another bench). It needs root and local servers for
 * those two faults and skips them otherwise. CHAOS_FAULTS (a comma list of the names above) picks
 * faults; by default all, in that order, after a baseline phase without a fault.
 *
 * The load, at CHAOS_RATE (8) requests/s on a fixed schedule: SHOPPERS signed-in shoppers read a
 * page of products, a product with its rating and reviews, and a slate, and send VIEWs with
 * trackEvents; every REVIEW_EVERY-th request writes a review and every PRODUCT_EVERY-th an admin
 * creates a product. A write that fails (an error or no answer in REQUEST_TIMEOUT_MS) is sent again
 * every second until it is answered, as a storefront's client would: events keep their
 * clientEventId, and a review or product whose retry meets CONFLICT had landed. CHAOS_SUBSCRIPTIONS
 * (200) more shoppers hold recommendationsUpdated open over graphql-ws through the gateway; a client
 * reconnects and subscribes again whenever its socket or subscription ends.
 *
 * Each fault: STEADY_SECONDS of load, the fault, OBSERVE_SECONDS of load after the dependency or
 * process is back, then a push probe: every subscriber sends a VIEW, and a subscription has resumed
 * when a slate reaches it within PROBE_SECONDS. Per fault: requests sent from the fault to the end of
 * the observation and how many failed (partial answers, with some fields null, counted apart),
 * recovery (from the moment it is back until the last failed request ended: after that every request
 * succeeded), and the writes first sent in that window. At the end, once every write is answered
 * and after SETTLE_SECONDS at most for queued work, the databases are read: an accepted write
 * missing is lost, one stored twice a duplicate; a review without a DONE analysis, a product without
 * its vector, and a shopper whose interest profile is older than their last event are lost jobs.
 *
 * Sweeps run every SWEEP_MS (5 s; 60 s by default in production) so the settle stays short; that
 * bounds how long queued work waits for a sweep, not whether it is done. Access tokens last an hour
 * so none expires during the run. Goal: 0 accepted writes or jobs lost, 0 duplicates, recovery under
 * GOAL_RECOVERY_S (10 s) after each fault.
 *
 * Progress on stderr; a table, then as its last line one JSON object on stdout; the stack's own
 * output goes to bench-results/chaos-stack.log. Removes its
 * databases, queues and Redis keys at the end, also on failure or SIGINT.
 */
import { openAdminConnection } from '@serendip/db';
import type { GraphQLResponse } from '@serendip/testing';
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { reconnectingGatewayWsClient } from '../../gateway/test/support/ws-client';
import { setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, type RunningStack } from '../../scripts/stack';
import { withAdminRoles } from '../../subgraphs/user/src';
import { atRate, benchStack, cleanUpOnSignal, inParallel, printColumns, sleep } from './harness';

const RATE = Number(process.env.CHAOS_RATE ?? 8);
const SUBSCRIPTIONS = Number(process.env.CHAOS_SUBSCRIPTIONS ?? 200);
const OUTAGE_SECONDS = Number(process.env.CHAOS_OUTAGE_SECONDS ?? 5);
const STEADY_SECONDS = 15;
const OBSERVE_SECONDS = 20;
const PROBE_SECONDS = 60;
const SETTLE_SECONDS = 120;
const REQUEST_TIMEOUT_MS = 15_000;
const SWEEP_MS = 5_000;
const GOAL_RECOVERY_S = 10;
const SHOPPERS = 8;
const PRODUCTS = 40;
const REVIEW_EVERY = 20;
const PRODUCT_EVERY = 40;
const PASSWORD = 'bench-password';
const ROOT = join(__dirname, '..', '..');
const STACK_LOG = join(ROOT, 'bench-results', 'chaos-stack.log');
const FAULTS = ['mariadb', 'redis', 'worker', 'user', 'catalogue', 'recommendation', 'feedback', 'gateway'] as const;
type Fault = (typeof FAULTS)[number];

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }';
const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }';
const REVIEW = 'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }';
const CREATE_PRODUCT = 'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }';
const PRODUCT = 'query ($id: ID!) { product(id: $id) { id title ratingSummary { count } reviews(first: 3) { nodes { rating } } } }';
const LIVE_SLATE = 'subscription { recommendationsUpdated(slot: HOME) { recommendationId } }';

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const progress = (message: string) => console.error(`bench: ${message}`);
const run = promisify(execFile);

/** One request of the load: when it started and ended (ms since the load began), and how it went. */
interface Outcome {
  started: number;
  ended: number;
  ok: boolean;
  /** Answered with data, but some fields null with an error (a subgraph away). */
  partial: boolean;
}

/** A write the bench sent: what it is, the phase it was first sent in, and whether it was answered. */
type Write =
  | { kind: 'event'; phase: string; acked: boolean; userId: string; token: string; clientEventId: string; productId: string }
  | { kind: 'review'; phase: string; acked: boolean; userId: string; token: string; productId: string; rating: number }
  | { kind: 'product'; phase: string; acked: boolean; sku: string };

interface Window {
  fault: string;
  injected: number;
  back: number;
  observedUntil: number;
  probe: { subscribers: number; resumed: number };
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as Omit<GraphQLResponse<T>, 'status'>) };
  } catch {
    return { status: response.status, errors: [{ message: `non-JSON response: ${text.slice(0, 100)}` }] };
  }
}

const answers = async (host: string, port: number): Promise<boolean> => {
  try {
    await run('bash', ['-c', `exec 3<>/dev/tcp/${host}/${port}`]);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Stops MariaDB or Redis, the local servers scripts/services.sh starts, keeps it down for
 * OUTAGE_SECONDS, and starts it with scripts/services.sh.
 */
async function restartServer(which: 'mariadb' | 'redis', redisPort: number): Promise<void> {
  if (which === 'mariadb') await run('start-stop-daemon', ['--stop', '--oknodo', '--retry', 'TERM/30/KILL/5', '--exec', '/usr/sbin/mariadbd']);
  else {
    // SHUTDOWN NOSAVE: whatever the server holds is gone, as in a crash of one that keeps no snapshot.
    await run('redis-cli', ['-h', '127.0.0.1', '-p', String(redisPort), 'shutdown', 'nosave']).catch(() => undefined);
    await until('Redis to stop', async () => !(await answers('127.0.0.1', redisPort)), 10_000);
  }
  await sleep(OUTAGE_SECONDS * 1000);
  await run('bash', [join(ROOT, 'scripts', 'services.sh')], { cwd: ROOT });
}

async function main(): Promise<void> {
  const chosen = (process.env.CHAOS_FAULTS?.split(',').map((name) => name.trim()) ?? [...FAULTS]) as Fault[];
  const unknown = chosen.filter((name) => !FAULTS.includes(name));
  if (unknown.length > 0) throw new Error(`CHAOS_FAULTS: no fault named ${unknown.join(', ')} (known: ${FAULTS.join(', ')})`);
  const loadAtStart = loadavg()[0]!;
  const {
    ports,
    prefix,
    env,
    settings,
    gatewayUrl: gateway,
    dropData,
  } = benchStack(23000, {
    ...LOOPBACK_CLIENT_LIMITS,
    OUTBOX_SWEEP_MS: String(SWEEP_MS),
    EMBEDDING_SWEEP_MS: String(SWEEP_MS),
    ANALYSIS_SWEEP_MS: String(SWEEP_MS),
    JWT_TTL_SECONDS: '3600',
  });
  const redisUrl = new URL(settings.REDIS_URL);
  const redisPort = Number(redisUrl.port || 6379);
  const local = settings.MYSQL_HOST === '127.0.0.1' && redisUrl.hostname === '127.0.0.1' && process.getuid?.() === 0;
  const faults = chosen.filter((fault) => {
    if ((fault === 'mariadb' || fault === 'redis') && !local) {
      progress(`skipping ${fault}: restarting it needs root and the local servers scripts/services.sh starts`);
      return false;
    }
    return true;
  });
  const run8 = prefix.slice('bench_'.length);

  let stack: RunningStack | null = null;
  const clients: ReturnType<typeof reconnectingGatewayWsClient>[] = [];
  // Set once the run is over: subscription clients stop reconnecting.
  let closing = false;
  const stackLog: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.all(clients.map(async (client) => client.dispose()));
      await stack?.stop();
      // A fault that stopped a server leaves it stopped only if the bench died mid-fault: start it.
      await run('bash', [join(ROOT, 'scripts', 'services.sh')], { cwd: ROOT }).catch(() => undefined);
      await dropData();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup);

  try {
    await setUpDatabases(settings);
    progress(`starting the stack (production mode, prefix ${prefix})…`);
    stack = await startStack({
      env,
      ports,
      onOutput: (name, line) => {
        stackLog.push(`[${name}] ${line}`);
        if (stackLog.length > 20_000) stackLog.shift();
      },
    });
    const runningStack = stack;

    // Seed: an admin and the products; shoppers and subscribers sign up.
    const signUp = async (name: string) => {
      const email = `${name}-${run8}@bench.serendip.test`;
      const reply = await gql<{ signUp: { token: string; user: { id: string } } }>(gateway, SIGN_UP, {
        input: { email, password: PASSWORD, displayName: name },
      });
      if (!reply.data) throw new Error(`sign-up failed: ${JSON.stringify(reply.errors)}`);
      return { email, token: reply.data.signUp.token, userId: reply.data.signUp.user.id };
    };
    const admin = await signUp('admin');
    await withAdminRoles(settings, (roles) => roles.grant(admin.email));
    const adminToken = (await gql<{ signIn: { token: string } }>(gateway, SIGN_IN, { email: admin.email, password: PASSWORD })).data?.signIn.token;
    if (!adminToken) throw new Error('the admin could not sign in');
    const category = await gql<{ createCategory: { id: string } }>(gateway, 'mutation { createCategory(input: { name: "Chaos" }) { id } }', {}, adminToken);
    const categoryId = category.data?.createCategory.id;
    const products: string[] = [];
    for (let index = 0; index < PRODUCTS; index += 1) {
      const reply = await gql<{ createProduct: { id: string } }>(
        gateway,
        CREATE_PRODUCT,
        { input: { sku: `CHAOS-SEED-${index}`, title: `Chaos product ${index}`, categoryId, price: 10 + index } },
        adminToken,
      );
      if (!reply.data) throw new Error(`createProduct failed: ${JSON.stringify(reply.errors)}`);
      products.push(reply.data.createProduct.id);
    }
    progress(`signing up ${SHOPPERS} shoppers and ${SUBSCRIPTIONS} subscribers…`);
    const shoppers = await Promise.all(Array.from({ length: SHOPPERS }, (_, index) => signUp(`shopper${index}`)));
    const subscribers: { token: string; userId: string }[] = [];
    await inParallel(
      Array.from({ length: SUBSCRIPTIONS }, (_, index) => index),
      4,
      async (index) => {
        subscribers[index] = await signUp(`subscriber${index}`);
      },
    );

    // Subscriptions: each client reconnects without end, and subscribes again when one ends.
    const lastPush = new Array<number>(SUBSCRIPTIONS).fill(-1);
    let subscriptionErrors = 0;
    // Subscribers whose socket is open (a failed attempt closes without having connected).
    const connected = new Set<number>();
    const loadStarted = performance.now();
    const now = () => performance.now() - loadStarted;
    subscribers.forEach((subscriber, index) => {
      const client = reconnectingGatewayWsClient(
        gateway,
        { authorization: `Bearer ${subscriber.token}` },
        { stopped: () => closing, on: { connected: () => connected.add(index), closed: () => connected.delete(index) } },
      );
      clients.push(client);
      const subscribe = () => {
        client.subscribe(
          { query: LIVE_SLATE },
          {
            next: (result) => {
              if (result.errors) subscriptionErrors += 1;
              else lastPush[index] = now();
            },
            error: () => {
              subscriptionErrors += 1;
              if (!closing) setTimeout(subscribe, 1000);
            },
            complete: () => {
              if (!closing) setTimeout(subscribe, 1000);
            },
          },
        );
      };
      subscribe();
    });

    // The load.
    const outcomes: Outcome[] = [];
    const writes: Write[] = [];
    let phase = 'baseline';
    let reviews = 0;
    let created = 0;
    const lastErrors: string[] = [];
    const remember = (detail: string) => {
      lastErrors.push(detail);
      if (lastErrors.length > 8) lastErrors.shift();
    };
    /** Sends a write once; true when it was answered (or had landed before, for a CONFLICT on a retry). */
    const send = async (write: Write, retry: boolean): Promise<boolean> => {
      let reply: GraphQLResponse<unknown>;
      try {
        if (write.kind === 'event')
          reply = await gql(
            gateway,
            TRACK,
            { events: [{ type: 'VIEW', productId: write.productId, sessionId: 'chaos', clientEventId: write.clientEventId }] },
            write.token,
          );
        else if (write.kind === 'review') {
          reply = await gql(
            gateway,
            REVIEW,
            { input: { productId: write.productId, rating: write.rating, text: `Chaos review: it works, and the finish is good (${write.rating}/5).` } },
            write.token,
          );
        } else
          reply = await gql(gateway, CREATE_PRODUCT, { input: { sku: write.sku, title: `Chaos product ${write.sku}`, categoryId, price: 20 } }, adminToken);
      } catch (error) {
        remember(`${write.kind}: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
      const codes = (reply.errors ?? []).map((error) => error.extensions?.code);
      if (reply.status === 200 && !reply.errors) return (write.acked = true);
      if (retry && write.kind !== 'event' && codes.length > 0 && codes.every((code) => code === 'CONFLICT')) return (write.acked = true);
      remember(`${write.kind}: HTTP ${reply.status} ${JSON.stringify(reply.errors).slice(0, 200)}`);
      return false;
    };
    const request = async (i: number): Promise<void> => {
      const shopper = shoppers[i % SHOPPERS]!;
      const productId = products[(i * 7) % products.length]!;
      const started = now();
      let ok = false;
      let partial = false;
      let write: Write | null = null;
      if (i % PRODUCT_EVERY === PRODUCT_EVERY - 1) write = { kind: 'product', phase, acked: false, sku: `CHAOS-${run8}-${created++}` };
      else if (i % REVIEW_EVERY === REVIEW_EVERY - 1 && reviews < SHOPPERS * products.length) {
        // Review k: shopper k % SHOPPERS on product ⌊k / SHOPPERS⌋, each pair once.
        const k = reviews++;
        const reviewer = shoppers[k % SHOPPERS]!;
        write = {
          kind: 'review',
          phase,
          acked: false,
          userId: reviewer.userId,
          token: reviewer.token,
          productId: products[Math.floor(k / SHOPPERS)]!,
          rating: 1 + (k % 5),
        };
      } else if (i % 4 === 3)
        write = { kind: 'event', phase, acked: false, userId: shopper.userId, token: shopper.token, clientEventId: `chaos-${i}`, productId };
      if (write) {
        writes.push(write);
        ok = await send(write, false);
      } else {
        try {
          const reply =
            i % 4 === 0
              ? await gql(gateway, '{ products(first: 20) { nodes { id title price } } }', {}, shopper.token)
              : i % 4 === 1
                ? await gql(gateway, PRODUCT, { id: productId }, shopper.token)
                : await gql(gateway, '{ recommendations(first: 10) { recommendationId items { product { id title } } } }', {}, shopper.token);
          ok = reply.status === 200 && !reply.errors;
          partial = !ok && reply.data !== null && reply.data !== undefined;
          if (!ok) remember(`read: HTTP ${reply.status} ${JSON.stringify(reply.errors).slice(0, 200)}`);
        } catch (error) {
          remember(`read: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      outcomes.push({ started, ended: now(), ok, partial });
    };

    // Unanswered writes are sent again every second, each at most once at a time, until every one
    // is answered or two minutes after the load stopped.
    let stopped = false;
    let endOfLoad: number | null = null;
    const retrying = new Set<Write>();
    const retrier = (async () => {
      while (!stopped || writes.some((write) => !write.acked)) {
        await sleep(1000);
        const pending = writes.filter((write) => !write.acked && !retrying.has(write));
        await inParallel(pending, 4, async (write) => {
          retrying.add(write);
          try {
            await send(write, true);
          } finally {
            retrying.delete(write);
          }
        });
        if (stopped && performance.now() - loadStarted > (endOfLoad ?? Infinity) + 120_000) break;
      }
    })();
    const inFlight = new Set<Promise<void>>();
    const load = atRate(
      RATE,
      Number.MAX_SAFE_INTEGER,
      (i) => {
        const pending = request(i).finally(() => inFlight.delete(pending));
        inFlight.add(pending);
      },
      () => stopped,
    );

    /** Every subscriber sends a VIEW; how many of them receive a slate within PROBE_SECONDS. */
    const probe = async (label: string): Promise<{ subscribers: number; resumed: number }> => {
      const from = now();
      await inParallel(subscribers, 8, async (subscriber, index) => {
        const write: Write = {
          kind: 'event',
          phase: label,
          acked: false,
          userId: subscriber.userId,
          token: subscriber.token,
          clientEventId: `chaos-probe-${label}-${index}`,
          productId: products[index % products.length]!,
        };
        writes.push(write);
        await send(write, false);
      });
      const deadline = performance.now() + PROBE_SECONDS * 1000;
      while (performance.now() < deadline && lastPush.some((at) => at < from)) await sleep(250);
      return { subscribers: SUBSCRIPTIONS, resumed: lastPush.filter((at) => at >= from).length };
    };

    const windows: Window[] = [];
    const phaseOf = async (fault: string, inject: () => Promise<void>) => {
      phase = fault;
      const injected = now();
      await inject();
      const back = now();
      progress(`${fault}: back after ${((back - injected) / 1000).toFixed(1)} s; observing ${OBSERVE_SECONDS} s…`);
      await sleep(OBSERVE_SECONDS * 1000);
      const observedUntil = now();
      const probed = await probe(fault);
      progress(`${fault}: ${probed.resumed}/${probed.subscribers} subscriptions received a slate after the probe`);
      windows.push({ fault, injected, back, observedUntil, probe: probed });
      phase = `after ${fault}`;
      await sleep(STEADY_SECONDS * 1000);
    };

    progress(`load at ${RATE} requests/s with ${SUBSCRIPTIONS} subscriptions; baseline ${STEADY_SECONDS} s…`);
    await until('every subscription to connect', async () => connected.size === SUBSCRIPTIONS, 60_000);
    await sleep(STEADY_SECONDS * 1000);
    await phaseOf('none', async () => undefined);
    for (const fault of faults) {
      progress(`${fault}: injecting…`);
      await phaseOf(fault, async () => {
        if (fault === 'mariadb' || fault === 'redis') return restartServer(fault, redisPort);
        const child = runningStack.children.get(fault)!;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(fault === 'gateway' ? 'SIGTERM' : 'SIGKILL');
        await exited;
        await runningStack.start(fault);
      });
    }
    stopped = true;
    await load;
    await Promise.all(inFlight);
    endOfLoad = performance.now() - loadStarted;
    progress('load stopped; waiting for every write to be answered…');
    await retrier;
    const unanswered = writes.filter((write) => !write.acked).length;

    // What the databases hold, once queued work has had SETTLE_SECONDS to finish.
    const admin2 = await openAdminConnection(settings);
    const db = (owner: string) => `\`${prefix}_${owner}\``;
    const select = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => (await admin2.query(sql, parameters))[0] as T[];
    type Check = { lostWrites: Write[]; duplicates: number; lostJobs: Write[]; staleShoppers: string[] };
    const check = async (): Promise<Check> => {
      const events = await select<{ userId: string; clientEventId: string; n: number }>(
        `SELECT user_id AS userId, client_event_id AS clientEventId, COUNT(*) AS n FROM ${db('recommendation')}.behaviour_event
         WHERE client_event_id LIKE 'chaos-%' GROUP BY user_id, client_event_id`,
      );
      const reviewRows = await select<{ userId: string; productId: string; n: number; done: number }>(
        `SELECT r.user_id AS userId, r.product_id AS productId, COUNT(*) AS n, SUM(a.status = 'DONE') AS done
         FROM ${db('feedback')}.review r LEFT JOIN ${db('feedback')}.review_analysis a ON a.review_id = r.id GROUP BY r.user_id, r.product_id`,
      );
      const productRows = await select<{ sku: string; n: number; vectors: number }>(
        `SELECT p.sku, COUNT(DISTINCT p.id) AS n, COUNT(e.product_id) AS vectors
         FROM ${db('catalogue')}.product p LEFT JOIN ${db('catalogue')}.product_embedding e ON e.product_id = p.id
         WHERE p.sku LIKE 'CHAOS-%' GROUP BY p.sku`,
      );
      const stale = await select<{ userId: string }>(
        `SELECT e.user_id AS userId FROM ${db('recommendation')}.behaviour_event e
         LEFT JOIN ${db('recommendation')}.interest_profile p ON p.user_id = e.user_id
         GROUP BY e.user_id HAVING MAX(e.received_at) > COALESCE(MAX(p.updated_at), '1970-01-01')`,
      );
      const eventCount = new Map(events.map((row) => [`${row.userId}/${row.clientEventId}`, Number(row.n)]));
      const reviewOf = new Map(reviewRows.map((row) => [`${row.userId}/${row.productId}`, row]));
      const productOf = new Map(productRows.map((row) => [row.sku, row]));
      const lostWrites: Write[] = [];
      const lostJobs: Write[] = [];
      let duplicates = 0;
      for (const write of writes.filter((each) => each.acked)) {
        if (write.kind === 'event') {
          const n = eventCount.get(`${write.userId}/${write.clientEventId}`) ?? 0;
          if (n === 0) lostWrites.push(write);
          duplicates += Math.max(0, n - 1);
        } else if (write.kind === 'review') {
          const row = reviewOf.get(`${write.userId}/${write.productId}`);
          if (!row) lostWrites.push(write);
          else if (Number(row.done) < 1) lostJobs.push(write);
          duplicates += Math.max(0, Number(row?.n ?? 0) - 1);
        } else {
          const row = productOf.get(write.sku);
          if (!row) lostWrites.push(write);
          else if (Number(row.vectors) < 1) lostJobs.push(write);
          duplicates += Math.max(0, Number(row?.n ?? 0) - 1);
        }
      }
      return { lostWrites, duplicates, lostJobs, staleShoppers: stale.map((row) => row.userId) };
    };
    progress(`reading the databases (queued work has up to ${SETTLE_SECONDS} s to finish)…`);
    const settleFrom = performance.now();
    let result = await check();
    while ((result.lostJobs.length > 0 || result.staleShoppers.length > 0) && performance.now() - settleFrom < SETTLE_SECONDS * 1000) {
      await sleep(2000);
      result = await check();
    }
    const settledIn = (performance.now() - settleFrom) / 1000;
    await admin2.end();
    closing = true;

    const rows = windows.map((window) => {
      const during = outcomes.filter((outcome) => outcome.started >= window.injected && outcome.started < window.observedUntil);
      const failures = during.filter((outcome) => !outcome.ok);
      const lastFailure = Math.max(window.back, ...failures.map((outcome) => outcome.ended));
      const inPhase = (write: Write) => write.phase === window.fault;
      return {
        fault: window.fault,
        down_s: round((window.back - window.injected) / 1000),
        requests: during.length,
        failed: failures.length,
        partial: failures.filter((outcome) => outcome.partial).length,
        recovery_s: round((lastFailure - window.back) / 1000),
        writes_sent: writes.filter(inPhase).length,
        writes_lost: result.lostWrites.filter(inPhase).length,
        jobs_lost: result.lostJobs.filter(inPhase).length,
        subscriptions_resumed: window.probe.resumed,
        pushes_missed: window.probe.subscribers - window.probe.resumed,
      };
    });
    const accepted = writes.filter((write) => write.acked);
    const allOutcomes = outcomes.length;
    if (lastErrors.length > 0) progress(`the last errors seen by clients:\n${lastErrors.join('\n')}`);
    const stackErrors = stackLog.filter((line) => /error/i.test(line));
    mkdirSync(dirname(STACK_LOG), { recursive: true });
    writeFileSync(STACK_LOG, `${stackLog.join('\n')}\n`);
    if (stackErrors.length > 0)
      progress(`the stack logged ${stackErrors.length} lines with "error" (all its output: ${STACK_LOG}), the last ones:\n${stackErrors.slice(-8).join('\n')}`);

    console.log(`\nPer fault, under ${RATE} requests/s and ${SUBSCRIPTIONS} subscriptions (goal: 0 lost, recovery < ${GOAL_RECOVERY_S} s)`);
    printColumns(
      ['fault', 'down s', 'requests', 'failed', 'partial', 'recovery s', 'writes', 'lost', 'jobs lost', 'resumed', 'missed'],
      rows.map((row) => [
        row.fault,
        row.down_s.toFixed(1),
        String(row.requests),
        String(row.failed),
        String(row.partial),
        row.recovery_s.toFixed(1),
        String(row.writes_sent),
        String(row.writes_lost),
        String(row.jobs_lost),
        `${row.subscriptions_resumed}/${SUBSCRIPTIONS}`,
        String(row.pushes_missed),
      ]),
    );
    console.log(
      `\nwhole run: ${allOutcomes} requests, ${writes.length} writes sent, ${accepted.length} accepted (${unanswered} never answered), ` +
        `${result.lostWrites.length} lost, ${result.duplicates} duplicates, ${result.lostJobs.length} jobs lost, ` +
        `${result.staleShoppers.length} shoppers with a stale interest profile (settled in ${settledIn.toFixed(1)} s)`,
    );
    const faultRows = rows.filter((row) => row.fault !== 'none');
    const withinGoal =
      unanswered === 0 &&
      result.lostWrites.length === 0 &&
      result.duplicates === 0 &&
      result.lostJobs.length === 0 &&
      result.staleShoppers.length === 0 &&
      faultRows.every((row) => row.recovery_s < GOAL_RECOVERY_S && row.pushes_missed === 0);
    console.log(
      JSON.stringify({
        bench: 'chaos',
        requests_per_s: RATE,
        subscriptions: SUBSCRIPTIONS,
        outage_s: OUTAGE_SECONDS,
        sweep_ms: SWEEP_MS,
        machine: { cpus: availableParallelism(), loadavg_1m_at_start: round(loadAtStart, 2), loadavg_1m_at_end: round(loadavg()[0]!, 2) },
        faults: rows,
        writes: {
          sent: writes.length,
          accepted: accepted.length,
          unanswered,
          lost: result.lostWrites.length,
          duplicates: result.duplicates,
          jobs_lost: result.lostJobs.length,
          stale_interest_profiles: result.staleShoppers.length,
          settled_s: round(settledIn),
        },
        subscription_errors: subscriptionErrors,
        stack_log_error_lines: stackErrors.length,
        goal: { lost: 0, duplicates: 0, recovery_s_below: GOAL_RECOVERY_S, pushes_missed: 0 },
        within_goal: withinGoal,
      }),
    );
  } finally {
    closing = true;
    stopHandlingSignals();
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
