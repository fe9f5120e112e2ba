/**
 * pnpm bench:abuse — a bounded burst of abuse from loopback against a running stack with the
 * production limits (docs/security.md, sections 6 and 7), while an honest shopper browses: what each
 * kind of abuse was answered with, the honest shopper's latency during the burst against just before
 * it (goal: p99 within 2×), and each process's memory before and after the burst.
 *
 * Addresses. The gateway counts its per-address limits by the TCP peer, and TRUST_PROXY stays false,
 * as for a gateway with no proxy in front. Every address of 127.0.0.0/8 reaches the gateway on
 * 127.0.0.1 (Linux), so each client here binds a source address of its own (FROM): the honest
 * shopper 127.0.0.1, each attacker, the set-up and the probe others. The gateway then sees separate
 * clients, as over the internet, and no limit is raised for anyone: the attackers meet the limits an
 * operator runs with, and so does the honest shopper, whose pace (HONEST_PER_S, 240 a minute) stays
 * under both its address's limit (600 a minute) and its account's (300).
 *
 * The burst: each kind a fixed number of attempts, sent on a fixed schedule spread over
 * BENCH_BURST_SECONDS (30), all kinds at once, from a process of its own so that the attackers' client
 * work (a thousand sockets, megabytes of bodies) does not delay the honest shopper's own timers; both
 * still share the machine's cores with the stack, as an attack from the same host does.
 * 1. Sign-in guessing: 60 wrong passwords for one account from one address (the address's 10 sign-ins
 *    a minute, and the account's 5 per 15 minutes); 60 for another account, each from its own address
 *    (a botnet: the account's limit alone); one wrong password for each of 60 accounts from one
 *    address (credential stuffing: the address's limit). Then the first account's owner signs in with
 *    the right password from a fresh address: the price of the account limit.
 * 2. Alias fan-out and expensive queries, anonymous, from one address: 60 aliased searchProducts of
 *    100, 180 aliased recommendations, one search of 100 products with 100 reviews each, in turn
 *    (QUERY_TOO_COMPLEX), more requests than the address may send in a minute (then RATE_LIMITED).
 * 3. Oversized payloads: 25 MB HTTP bodies, over the gateway's MAX_BODY_BYTES (1 MiB), refused
 *    with 413 by their length before they are read, and WebSocket messages over
 *    WS_MAX_PAYLOAD_BYTES (closed with 1009).
 * 4. Large bodies: HTTP bodies just under MAX_BODY_BYTES, which the gateway reads and parses whole.
 *    A kind of its own, so that a run without it shows what it costs.
 * 5. Purchase flood: one account sends trackEvents of PURCHASE events of one product. Every event is
 *    accepted; the contribution cap lets CONTRIBUTION_CAP_EVENTS (2) count towards popularity. The
 *    product had one honest purchase; the bench reads its rank in a newcomer's popular list before
 *    and after the burst, below products three shoppers bought.
 * 6. 1,000 WebSocket connections from one address, each sending connection_init and, once
 *    acknowledged, held open until the burst ends: WS_MAX_CONNECTIONS_PER_IP are accepted, the rest
 *    refused at the upgrade with HTTP 429.
 * BENCH_KINDS (comma-separated names of KINDS: guessing, fan-out, oversized, large-bodies, flood,
 * sockets; all by default) sends only some, to see what each costs the honest shopper.
 *
 * The honest shopper: signed in, one request every 1/HONEST_PER_S s on a fixed schedule (not after
 * the previous answer, so a slow answer delays none after it): a page of products, a slate of
 * recommendations, a VIEW with trackEvents, in turn. Baseline: BENCH_BASELINE_SECONDS (30) right
 * before the burst, after BENCH_WARMUP_SECONDS (5) not counted; during: from the attackers' start to
 * their last answer. Requests are counted by when they were sent.
 *
 * Memory: VmRSS of each stack process (gateway, the four subgraphs, the inference worker) just before
 * the burst and once it is over (its sockets closed), with VmHWM, the peak. CPU: each process's share
 * of one core during the baseline and the burst, with MariaDB, Redis, this process, the attackers and
 * whatever else the machine ran; the 1-minute load average at start, before and after the burst.
 *
 * Runs a throwaway stack in production mode on its own ports, databases, queue and pub/sub prefixes,
 * and removes them at the end, also on failure or SIGINT. Progress on stderr; tables, then as its last
 * line one JSON object on stdout.
 */
import { databaseName, openAdminConnection } from '@serendip/db';
import { type GraphQLResponse } from '@serendip/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { setUpDatabases } from '../../scripts/db-setup';
import { startStack, type RunningStack } from '../../scripts/stack';
import { EVENT_WEIGHTS } from '../../subgraphs/recommendation/src/popularity/event-weights';
import { withAdminRoles, type AdminRolesSettings } from '../../subgraphs/user/src';
import { atRate, benchStack, cleanUpOnSignal, cpuMeter, type Memory, memoryOf, percentile, printColumns, serverPids, sleep } from './harness';

const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 30);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 30);
/** The kinds of abuse the burst sends (KINDS' names, comma-separated): all by default; fewer to see what one costs. */
const BURST_KINDS = (process.env.BENCH_KINDS ?? 'guessing,fan-out,oversized,large-bodies,flood,sockets').split(',') as (keyof typeof KINDS)[];
/** The honest shopper's requests per second: 240 a minute, under the per-shopper (300) and per-address (600) limits. */
const HONEST_PER_S = 4;
/** The goal: the honest shopper's p99 during the burst at most this many times the baseline's. */
const GOAL_P99_RATIO = 2;

const GUESSES = 60;
/** Twice what one address may send in a minute (RATE_LIMIT_PER_ADDRESS, 600). */
const FAN_OUT_REQUESTS = 1200;
/** The gateway's MAX_BODY_BYTES default. */
const HTTP_BODY_LIMIT = 1024 * 1024;
/** What graphql-yoga would read without the gateway's limit. */
const OVERSIZED_BODY_BYTES = 25_000_000;
const OVER_LIMIT_BODIES = 5;
const UNDER_LIMIT_BODIES = 3;
const WS_OVERSIZED_MESSAGES = 30;
/** Over WS_MAX_PAYLOAD_BYTES' 64 KiB. */
const WS_MESSAGE_BYTES = 100 * 1024;
const FLOOD_CALLS = 40;
const FLOOD_EVENTS_PER_CALL = 50;
const SOCKETS = 1000;
const POPULAR_LIST = 50;
const PASSWORD = 'bench-password';

/**
 * Who sends from where: every role its own source address on the loopback network, so the gateway's
 * per-address limits count each as a client of its own.
 */
const FROM = {
  honest: '127.0.0.1',
  /** Set-up: each sign-up and sign-in from an address of its own, under the 10 a minute per address. */
  setup: (n: number) => `127.0.1.${n}`,
  guesser: '127.0.2.1',
  owner: '127.0.2.2',
  botnet: (n: number) => `127.0.3.${n}`,
  stuffer: '127.0.4.1',
  fanOut: '127.0.5.1',
  oversized: '127.0.6.1',
  large: '127.0.6.2',
  flooder: '127.0.7.1',
  sockets: '127.0.8.1',
} as const;

const ATTACK_ROLE = 'attack';
const ROOT = join(__dirname, '..', '..');

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }';
const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';
const TRACK = 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }';
const POPULAR = `{ me { recommendations(first: ${POPULAR_LIST}) { product { id } } } }`;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const progress = (message: string) => console.error(`bench: ${message}`);

/** What one POST got: its status and parsed body, or the network error that ended it. */
interface Reply<T> {
  status: number;
  body: Omit<GraphQLResponse<T>, 'status'> | null;
  error?: string;
}

/** Keep-alive connections per source address, as a browser keeps its own. */
const agents = new Map<string, http.Agent>();

/** POSTs `payload` to `url` from source address `from`; never rejects (a network error is in the reply). */
function post<T>(url: string, from: string, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Reply<T>> {
  let agent = agents.get(from);
  if (!agent) agents.set(from, (agent = new http.Agent({ keepAlive: true })));
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        localAddress: from,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        // 'close' also ends a response that the server cut short.
        response.on('close', () => {
          let body: Reply<T>['body'] = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply<T>['body'];
          } catch {
            // not JSON: the status says what happened
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ status: 0, body: null, error: error.code ?? error.message }));
    request.end(payload);
  });
}

/** A GraphQL client of the gateway at `url`, each call from the source address it names. */
function gatewayClient(url: string) {
  return <T = Record<string, unknown>>(from: string, query: string, variables: Record<string, unknown> = {}, token?: string) =>
    post<T>(url, from, JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
}
type Gql = ReturnType<typeof gatewayClient>;

/** How a reply ended, as a label to count: its error code (and the limit that refused it), its status when not 200, or ok. */
function outcomeOf(reply: Reply<unknown>): string {
  if (reply.error) return `network error ${reply.error}`;
  const error = reply.body?.errors?.[0];
  const parts: string[] = [];
  if (error) {
    const limit = error.extensions?.limit;
    parts.push(`${error.extensions?.code ?? 'uncoded error'}${typeof limit === 'string' ? ` (${limit})` : ''}`);
  }
  if (reply.status !== 200) parts.push(`HTTP ${reply.status}`);
  return parts.length > 0 ? parts.join(', ') : 'ok';
}

// ——— the attackers (a child process) ———

/** What the attacker process is told: where to go and whom to attack. */
interface AttackPlan {
  gatewayUrl: string;
  /** Guessed from one address; its owner then tries the right password. */
  guessedEmail: string;
  /** Guessed from many addresses. */
  botnetEmail: string;
  /** One guess each, from one address. */
  stuffedEmails: string[];
  flooderToken: string;
  pushedProductId: string;
}

interface ScenarioResult {
  kind: string;
  scenario: string;
  sent: number;
  /** Attempts by how they ended (outcomeOf's labels, or a WebSocket's). */
  outcomes: Record<string, number>;
  /** The purchase flood's: events trackEvents accepted. */
  eventsAccepted?: number;
}

interface AttackReport {
  scenarios: ScenarioResult[];
  cpuSeconds: number;
}

/** An attempt's label; a thrown error becomes one too, so one failure cannot end a scenario. */
const labelled = (attempt: Promise<string>) => attempt.catch((error: unknown) => `exception ${error instanceof Error ? error.message : String(error)}`);

/** Sends a scenario's `count` attempts evenly over the burst on a fixed schedule, and counts how each ended. */
async function scenario(kind: string, name: string, count: number, attempt: (i: number) => Promise<string>): Promise<ScenarioResult> {
  const outcomes: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  await atRate(count / BURST_SECONDS, count, (i) => {
    pending.push(
      labelled(attempt(i)).then((outcome) => {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }),
    );
  });
  await Promise.all(pending);
  return { kind, scenario: name, sent: count, outcomes };
}

async function signInGuessing(plan: AttackPlan, gql: Gql): Promise<ScenarioResult[]> {
  const kind = 'sign-in guessing';
  const guess = (from: string, email: string, i: number) => gql(from, SIGN_IN, { email, password: `guess-${i}` }).then(outcomeOf);
  const [oneAddress, ...rest] = await Promise.all([
    scenario(kind, `one account, one address, ${GUESSES} passwords`, GUESSES, (i) => guess(FROM.guesser, plan.guessedEmail, i)),
    scenario(kind, `one account, ${GUESSES} addresses`, GUESSES, (i) => guess(FROM.botnet(i + 1), plan.botnetEmail, i)),
    scenario(kind, `${plan.stuffedEmails.length} accounts, one address`, plan.stuffedEmails.length, (i) => guess(FROM.stuffer, plan.stuffedEmails[i]!, i)),
  ]);
  const owner = await gql(FROM.owner, SIGN_IN, { email: plan.guessedEmail, password: PASSWORD });
  return [oneAddress, ...rest, { kind, scenario: "the guessed account's owner, right password", sent: 1, outcomes: { [outcomeOf(owner)]: 1 } }];
}

async function aliasFanOut(gql: Gql): Promise<ScenarioResult[]> {
  const shapes = [
    {
      name: '60 aliased searchProducts(first: 100)',
      query: `{ ${Array.from({ length: 60 }, (_, i) => `s${i}: searchProducts(text: "bench", first: 100) { product { id title } }`).join(' ')} }`,
    },
    {
      name: '180 aliased recommendations(first: 50)',
      query: `{ ${Array.from({ length: 180 }, (_, i) => `r${i}: recommendations(first: 50) { recommendationId }`).join(' ')} }`,
    },
    {
      name: 'search of 100 products × 100 reviews',
      query: '{ searchProducts(text: "bench", first: 100) { product { reviews(first: 100) { nodes { text } } } } }',
    },
  ];
  const outcomes = shapes.map((): Record<string, number> => ({}));
  // One address sends all three in turn, so the address limit falls on them alike.
  const all = await scenario('alias fan-out', 'all', FAN_OUT_REQUESTS, async (i) => {
    const outcome = outcomeOf(await gql(FROM.fanOut, shapes[i % shapes.length]!.query));
    const counts = outcomes[i % shapes.length]!;
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    return outcome;
  });
  return shapes.map((shape, index) => ({
    kind: all.kind,
    scenario: `${shape.name}, one address`,
    sent: Object.values(outcomes[index]!).reduce((sum, n) => sum + n, 0),
    outcomes: outcomes[index]!,
  }));
}

/** A GraphQL body of exactly `bytes` bytes: a trivial query with an unused padding variable. */
function paddedBody(bytes: number): Buffer {
  const frame = (padding: string) => `{"query":"{ __typename }","variables":{"padding":"${padding}"}}`;
  return Buffer.from(frame('x'.repeat(bytes - frame('').length)));
}

/** Opens a graphql-ws socket from `from`; resolves with the socket once it opens, or with how it was refused. */
function openSocket(url: string, from: string): Promise<{ socket: WebSocket } | { refused: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { localAddress: from });
    socket.once('unexpected-response', (request, response) => {
      resolve({ refused: `HTTP ${response.statusCode}` });
      request.destroy();
    });
    socket.once('open', () => resolve({ socket }));
    // Kept for the socket's life: an error after the first would otherwise be unhandled.
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ refused: `network error ${error.code ?? error.message}` }));
  });
}

/** How the server closed `socket` after `send`: `closed <code>`. */
function closeCodeAfter(socket: WebSocket, send: () => void): Promise<string> {
  return new Promise((resolve) => {
    socket.once('close', (code) => resolve(`closed ${code}`));
    send();
  });
}

async function oversizedPayloads(plan: AttackPlan): Promise<ScenarioResult[]> {
  const kind = 'oversized payloads';
  const over = paddedBody(OVERSIZED_BODY_BYTES);
  const wsUrl = plan.gatewayUrl.replace(/^http/, 'ws');
  const message = JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(WS_MESSAGE_BYTES) } });
  return Promise.all([
    scenario(kind, `HTTP body of ${(over.length / 1e6).toFixed(1)} MB (over the limit)`, OVER_LIMIT_BODIES, async () =>
      outcomeOf(await post(plan.gatewayUrl, FROM.oversized, over)),
    ),
    scenario(kind, `WebSocket message of ${WS_MESSAGE_BYTES / 1024} KiB`, WS_OVERSIZED_MESSAGES, async () => {
      const opened = await openSocket(wsUrl, FROM.oversized);
      if ('refused' in opened) return opened.refused;
      return closeCodeAfter(opened.socket, () => opened.socket.send(message));
    }),
  ]);
}

/** Bodies just under the HTTP limit: nothing refuses them, so the gateway reads and parses each whole. */
async function largeBodies(plan: AttackPlan): Promise<ScenarioResult[]> {
  const under = paddedBody(HTTP_BODY_LIMIT - 1024);
  return [
    await scenario('large bodies', `HTTP body of ${(under.length / 1e6).toFixed(1)} MB (under the limit)`, UNDER_LIMIT_BODIES, async () =>
      outcomeOf(await post(plan.gatewayUrl, FROM.large, under)),
    ),
  ];
}

async function purchaseFlood(plan: AttackPlan, gql: Gql): Promise<ScenarioResult[]> {
  let accepted = 0;
  const result = await scenario(
    'purchase flood',
    `${FLOOD_CALLS} trackEvents × ${FLOOD_EVENTS_PER_CALL} PURCHASE of one product`,
    FLOOD_CALLS,
    async (call) => {
      const events = Array.from({ length: FLOOD_EVENTS_PER_CALL }, (_, i) => ({
        type: 'PURCHASE',
        productId: plan.pushedProductId,
        sessionId: 'flood',
        clientEventId: `flood-${call}-${i}`,
      }));
      const reply = await gql<{ trackEvents: { accepted: number } }>(FROM.flooder, TRACK, { events }, plan.flooderToken);
      accepted += reply.body?.data?.trackEvents.accepted ?? 0;
      return outcomeOf(reply);
    },
  );
  return [{ ...result, eventsAccepted: accepted }];
}

/** Opens SOCKETS connections from one address; the accepted ones, once acknowledged, are left open in `held`. */
async function connectionFlood(plan: AttackPlan, held: WebSocket[]): Promise<ScenarioResult[]> {
  const url = plan.gatewayUrl.replace(/^http/, 'ws');
  const result = await scenario('WebSocket connections', `${SOCKETS} connections, one address`, SOCKETS, async () => {
    const opened = await openSocket(url, FROM.sockets);
    if ('refused' in opened) return opened.refused;
    const { socket } = opened;
    // Acknowledged, so graphql-ws keeps it open (an uninitialised socket is closed after 3 s).
    const acknowledged = await new Promise<string>((resolve) => {
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString('utf8')) as { type?: string }).type === 'connection_ack') resolve('accepted');
      });
      socket.once('close', (code) => resolve(`closed ${code}`));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    });
    if (acknowledged === 'accepted') held.push(socket);
    return acknowledged;
  });
  return [result];
}

type Kind = (plan: AttackPlan, gql: Gql, held: WebSocket[]) => Promise<ScenarioResult[]>;
const KINDS = {
  guessing: (plan, gql) => signInGuessing(plan, gql),
  'fan-out': (_plan, gql) => aliasFanOut(gql),
  oversized: (plan) => oversizedPayloads(plan),
  'large-bodies': (plan) => largeBodies(plan),
  flood: (plan, gql) => purchaseFlood(plan, gql),
  sockets: (plan, _gql, held) => connectionFlood(plan, held),
} satisfies Record<string, Kind>;

async function attack(): Promise<void> {
  const plan = JSON.parse(process.env.BENCH_ABUSE_PLAN ?? '') as AttackPlan;
  const gql = gatewayClient(plan.gatewayUrl);
  const held: WebSocket[] = [];
  process.send!({ type: 'started' });
  const kinds = await Promise.all(BURST_KINDS.map((kind) => KINDS[kind](plan, gql, held)));
  await Promise.all(held.map((socket) => new Promise((resolve) => (socket.once('close', resolve), socket.close()))));
  for (const agent of agents.values()) agent.destroy();
  const { user, system } = process.cpuUsage();
  const report: AttackReport = { scenarios: kinds.flat(), cpuSeconds: (user + system) / 1e6 };
  process.send!({ type: 'report', report }, () => process.exit(0));
}

/** Starts the attacker process; `started` resolves when its first attempts go out, `report` with what it saw. */
function startAttackers(plan: AttackPlan): { child: ChildProcess; started: Promise<number>; report: Promise<AttackReport> } {
  // Its stdout goes to stderr: this process's stdout ends with the JSON line.
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, ATTACK_ROLE], {
    cwd: ROOT,
    env: { ...process.env, BENCH_ABUSE_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  let onStarted: (at: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (onStarted = resolve));
  const report = new Promise<AttackReport>((resolve, reject) => {
    child.on('message', (message: { type: 'started' } | { type: 'report'; report: AttackReport }) => {
      if (message.type === 'started') onStarted(performance.now());
      else resolve(message.report);
    });
    child.once('exit', (code) => reject(new Error(`the attacker process exited with code ${code} before reporting`)));
  });
  return { child, started, report };
}

// ——— the honest shopper, the stack and the report (the main process) ———

const STEPS = ['products', 'recommendations', 'trackEvents'] as const;
type Step = (typeof STEPS)[number];

interface Sample {
  /** When it was sent (performance.now()). */
  at: number;
  step: Step;
  ms: number;
  ok: boolean;
}

/** The honest shopper's i-th request: a page of products, a slate, a VIEW, in turn. */
async function honestRequest(gql: Gql, token: string, browsed: readonly string[], i: number): Promise<Sample> {
  const step = STEPS[i % STEPS.length]!;
  const at = performance.now();
  let reply: Reply<unknown>;
  if (step === 'products') reply = await gql(FROM.honest, '{ products(first: 20) { nodes { id title price } } }', {}, token);
  else if (step === 'recommendations')
    reply = await gql(FROM.honest, '{ recommendations(first: 10) { recommendationId items { product { id title price } source } } }', {}, token);
  else
    reply = await gql(
      FROM.honest,
      TRACK,
      { events: [{ type: 'VIEW', productId: browsed[i % browsed.length], sessionId: 'honest', clientEventId: `honest-${i}` }] },
      token,
    );
  return { at, step, ms: performance.now() - at, ok: outcomeOf(reply) === 'ok' };
}

interface PhaseStats {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function stats(samples: readonly Sample[]): PhaseStats {
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors: samples.filter((sample) => !sample.ok).length,
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    maxMs: round(sorted.at(-1) ?? Number.NaN, 2),
  };
}

interface Seeded {
  honestToken: string;
  newcomerToken: string;
  browsed: string[];
  plan: Omit<AttackPlan, 'gatewayUrl'>;
}

/**
 * Products, shoppers with a history, and the accounts the burst needs. Ten products are bought by
 * three shoppers each; the one the flood pushes was bought once; the honest shopper browses ten
 * others. Each sign-up and sign-in comes from a set-up address of its own.
 */
async function seed(gql: Gql, settings: AdminRolesSettings, run: string): Promise<Seeded> {
  let setupAddress = 0;
  const nextSetup = () => FROM.setup((setupAddress += 1));
  const signUp = async (name: string) => {
    const email = `${name}-${run}@bench.serendip.test`;
    const reply = await gql<{ signUp: { token: string; user: { id: string } } }>(nextSetup(), SIGN_UP, {
      input: { email, password: PASSWORD, displayName: name },
    });
    if (!reply.body?.data) throw new Error(`sign-up of ${name} failed: ${JSON.stringify(reply.body?.errors ?? reply.error)}`);
    return { email, token: reply.body.data.signUp.token };
  };
  const admin = await signUp('admin');
  await withAdminRoles(settings, (roles) => roles.grant(admin.email));
  // Signed in again, so the token carries the role just granted.
  const signedIn = await gql<{ signIn: { token: string } }>(nextSetup(), SIGN_IN, { email: admin.email, password: PASSWORD });
  const adminToken = signedIn.body?.data?.signIn.token;
  if (!adminToken) throw new Error(`the admin could not sign in: ${JSON.stringify(signedIn.body?.errors)}`);
  const asAdmin = FROM.setup(200);
  const category = await gql<{ createCategory: { id: string } }>(asAdmin, 'mutation { createCategory(input: { name: "Bench" }) { id } }', {}, adminToken);
  const products: string[] = [];
  for (let index = 0; index < 30; index += 1) {
    const reply = await gql<{ createProduct: { id: string } }>(
      asAdmin,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `ABUSE-${index}`, title: `Bench product ${index}`, categoryId: category.body?.data?.createCategory.id, price: 10 + index } },
      adminToken,
    );
    if (!reply.body?.data) throw new Error(`createProduct failed: ${JSON.stringify(reply.body?.errors)}`);
    products.push(reply.body.data.createProduct.id);
  }
  const popular = products.slice(0, 10);
  const pushed = products[29]!;
  for (let buyer = 0; buyer < 3; buyer += 1) {
    const { token } = await signUp(`buyer${buyer}`);
    const bought = buyer === 0 ? [...popular, pushed] : popular;
    const events = bought.flatMap((productId) => [
      { type: 'VIEW', productId, sessionId: 'seed', clientEventId: `view-${productId}` },
      { type: 'PURCHASE', productId, sessionId: 'seed', clientEventId: `buy-${productId}` },
    ]);
    const tracked = await gql(FROM.setup(201), TRACK, { events }, token);
    if (outcomeOf(tracked) !== 'ok') throw new Error(`seed events failed: ${outcomeOf(tracked)}`);
  }
  const honest = await signUp('honest');
  const newcomer = await signUp('newcomer');
  const flooder = await signUp('flooder');
  const guessed = await signUp('guessed');
  const botnet = await signUp('botnet-target');
  // Credential stuffing tries a list of addresses, few of them accounts here.
  const stuffedEmails = Array.from({ length: GUESSES }, (_, i) => `stuffed${i}-${run}@bench.serendip.test`);
  return {
    honestToken: honest.token,
    newcomerToken: newcomer.token,
    browsed: products.slice(10, 20),
    plan: { guessedEmail: guessed.email, botnetEmail: botnet.email, stuffedEmails, flooderToken: flooder.token, pushedProductId: pushed },
  };
}

/** The pushed product's 1-based rank in a newcomer's popular list (User.recommendations), or null when it is not in it. */
async function popularRank(gql: Gql, token: string, productId: string): Promise<number | null> {
  const reply = await gql<{ me: { recommendations: { product: { id: string } }[] } }>(FROM.setup(202), POPULAR, {}, token);
  const list = reply.body?.data?.me.recommendations;
  if (!list) throw new Error(`the popular list could not be read: ${outcomeOf(reply)}`);
  const index = list.findIndex((item) => item.product.id === productId);
  return index < 0 ? null : index + 1;
}

async function main(): Promise<void> {
  const unknown = BURST_KINDS.filter((kind) => !(kind in KINDS));
  if (unknown.length > 0) throw new Error(`BENCH_KINDS: no kind ${unknown.join(', ')}; the kinds are ${Object.keys(KINDS).join(', ')}`);
  const loadAtStart = loadavg()[0]!;
  // No LOOPBACK_CLIENT_LIMITS, no limit raised: every limit is the production default. Operation
  // text is allowed to anyone (benchStack's default), the worst case for the limits measured here:
  // with the production default (admins only) every attacker's text is refused before any of them.
  const { ports, prefix: benchPrefix, env, settings, gatewayUrl, dropData } = benchStack(17000);
  const run = benchPrefix.slice('bench_'.length);
  const gql = gatewayClient(gatewayUrl);

  let stack: RunningStack | null = null;
  let attackers: ChildProcess | null = null;
  const stackLog: string[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (attackers && attackers.exitCode === null) attackers.kill('SIGKILL');
      for (const agent of agents.values()) agent.destroy();
      await stack?.stop();
      await dropData();
    })());
  const stopHandlingSignals = cleanUpOnSignal(cleanup);

  try {
    await setUpDatabases(settings);
    progress(`starting the stack (production mode, production limits, prefix ${benchPrefix})…`);
    stack = await startStack({ env, ports, onOutput: (name, line) => stackLog.push(`[${name}] ${line}`) });
    const pids = new Map([...stack.children].flatMap(([name, child]) => (child.pid === undefined ? [] : [[name, child.pid] as const])));
    const seeded = await seed(gql, settings, run);
    const rankBefore = await popularRank(gql, seeded.newcomerToken, seeded.plan.pushedProductId);
    progress(`seeded; the pushed product is number ${rankBefore ?? '(none)'} in a newcomer's popular list`);

    // The honest shopper browses from warm-up to the end of the burst.
    const samples: Sample[] = [];
    const inFlight: Promise<void>[] = [];
    let browsing = true;
    const shopper = atRate(
      HONEST_PER_S,
      Number.POSITIVE_INFINITY,
      (i) => inFlight.push(honestRequest(gql, seeded.honestToken, seeded.browsed, i).then((sample) => void samples.push(sample))),
      () => !browsing,
    );
    progress(`honest shopper: ${WARMUP_SECONDS} s warm-up, then ${BASELINE_SECONDS} s of baseline at ${HONEST_PER_S} requests/s…`);
    await sleep(WARMUP_SECONDS * 1000);
    const baselineFrom = performance.now();
    const baselineLoad = loadavg()[0]!;
    const baselineCpu = cpuMeter(new Map([...pids, ...serverPids()]));
    await sleep(BASELINE_SECONDS * 1000);
    const baselineTo = performance.now();
    const cpuBaseline = baselineCpu();
    const loadBeforeBurst = loadavg()[0]!;
    const memoryBefore = new Map<string, Memory>();
    for (const [name, pid] of pids) memoryBefore.set(name, await memoryOf(pid));

    progress(`burst: every kind at once, spread over ${BURST_SECONDS} s…`);
    const started = startAttackers({ gatewayUrl, ...seeded.plan });
    attackers = started.child;
    const burstFrom = await started.started;
    const burstCpu = cpuMeter(new Map([...pids, ...serverPids(), ['attackers', started.child.pid!]]));
    const report = await started.report;
    const burstTo = performance.now();
    const cpuBurst = burstCpu();
    browsing = false;
    await shopper;
    await Promise.all(inFlight);
    const loadAfterBurst = loadavg()[0]!;
    const memoryAfter = new Map<string, Memory>();
    for (const [name, pid] of pids) memoryAfter.set(name, await memoryOf(pid));

    const rankAfter = await popularRank(gql, seeded.newcomerToken, seeded.plan.pushedProductId);
    const admin = await openAdminConnection(settings);
    const recommendation = databaseName(settings, 'recommendation');
    let flood: { stored: number; counted: number; score: number };
    try {
      const [[events]] = await admin.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS stored, COALESCE(SUM(counted), 0) AS counted FROM \`${recommendation}\`.behaviour_event e
           WHERE e.product_id = ? AND e.session_id = 'flood'`,
        [seeded.plan.pushedProductId],
      );
      const [[popularity]] = await admin.query<RowDataPacket[]>(`SELECT score FROM \`${recommendation}\`.product_popularity WHERE product_id = ?`, [
        seeded.plan.pushedProductId,
      ]);
      flood = { stored: Number(events!.stored), counted: Number(events!.counted), score: Number(popularity?.score ?? 0) };
    } finally {
      await admin.end();
    }

    const phase = (from: number, to: number) => samples.filter((sample) => sample.at >= from && sample.at < to);
    const baseline = phase(baselineFrom, baselineTo);
    const during = phase(burstFrom, burstTo);
    const errors = stackLog.filter((line) => /error/i.test(line));
    if (errors.length > 0) progress(`the stack logged ${errors.length} lines with "error", the last ones:\n${errors.slice(-5).join('\n')}`);

    console.log('\nThe burst: what each attempt was answered with');
    printColumns(
      ['kind', 'scenario', 'sent', 'answers'],
      report.scenarios.map((row) => [
        row.kind,
        row.scenario,
        String(row.sent),
        Object.entries(row.outcomes)
          .sort(([, a], [, b]) => b - a)
          .map(([outcome, n]) => `${n} ${outcome}`)
          .join('; '),
      ]),
    );

    console.log('\nThe honest shopper (signed in, 4 requests/s): baseline just before the burst, and during it');
    const rows: [string, Step | 'all'][] = [['all', 'all'], ...STEPS.map((step): [string, Step] => [step, step])];
    const table: string[][] = [];
    const perStep: Record<string, { baseline: PhaseStats; during: PhaseStats }> = {};
    for (const [label, step] of rows) {
      const pick = (list: Sample[]) => (step === 'all' ? list : list.filter((sample) => sample.step === step));
      const before = stats(pick(baseline));
      const burst = stats(pick(during));
      perStep[label] = { baseline: before, during: burst };
      table.push([
        label,
        `${before.requests}/${burst.requests}`,
        `${before.errors}/${burst.errors}`,
        `${before.p50Ms.toFixed(1)}/${burst.p50Ms.toFixed(1)}`,
        `${before.p99Ms.toFixed(1)}/${burst.p99Ms.toFixed(1)}`,
        `${before.maxMs.toFixed(1)}/${burst.maxMs.toFixed(1)}`,
        (burst.p99Ms / before.p99Ms).toFixed(2),
      ]);
    }
    printColumns(['requests', 'sent (before/during)', 'errors', 'p50 ms', 'p99 ms', 'max ms', 'p99 during/before'], table);

    console.log('\nMemory (MiB): RSS before the burst / after it, and the peak (VmHWM) after');
    printColumns(
      ['process', 'RSS before', 'RSS after', 'peak'],
      [...pids.keys()].map((name) => [
        name,
        String(memoryBefore.get(name)!.rssMb),
        String(memoryAfter.get(name)!.rssMb),
        String(memoryAfter.get(name)!.peakMb),
      ]),
    );
    const shares = (cpu: Record<string, number>) =>
      Object.entries(cpu)
        .map(([name, share]) => `${name} ${share}%`)
        .join(', ');
    console.log(`\nCPU (% of one core) during the baseline: ${shares(cpuBaseline)}`);
    console.log(`CPU (% of one core) during the burst: ${shares(cpuBurst)}`);

    const all = perStep.all!;
    const ratioP99 = round(all.during.p99Ms / all.baseline.p99Ms, 2);
    const floodAccepted = report.scenarios.reduce((sum, row) => sum + (row.eventsAccepted ?? 0), 0);
    const uncapped = floodAccepted * EVENT_WEIGHTS.PURCHASE;
    console.log(
      `\npurchase flood: ${floodAccepted} events accepted, ${flood.counted} counted towards popularity (score ${flood.score}; uncapped it would have added ${uncapped}); ` +
        `rank in a newcomer's popular list ${rankBefore ?? 'none'} → ${rankAfter ?? 'none'}`,
    );
    console.log(`honest p99 during/before: ${ratioP99}× (goal ≤ ${GOAL_P99_RATIO}×)`);
    const refusedBy = (scenarioRows: ScenarioResult[]) =>
      scenarioRows.reduce(
        (sum, row) => sum + Object.entries(row.outcomes).reduce((n, [outcome, count]) => (/^(ok|accepted|UNAUTHENTICATED)$/.test(outcome) ? n : n + count), 0),
        0,
      );
    const byKind = Object.fromEntries(
      [...new Set(report.scenarios.map((row) => row.kind))].map((kind) => {
        const kindRows = report.scenarios.filter((row) => row.kind === kind);
        return [
          kind.replace(/\W+/g, '_').toLowerCase(),
          {
            sent: kindRows.reduce((sum, row) => sum + row.sent, 0),
            refused: refusedBy(kindRows),
            scenarios: Object.fromEntries(kindRows.map((row) => [row.scenario, row.outcomes])),
          },
        ];
      }),
    );
    const result = {
      bench: 'abuse',
      kinds: BURST_KINDS,
      machine: {
        cpus: availableParallelism(),
        loadavg_1m_at_start: round(loadAtStart, 2),
        loadavg_1m_at_baseline: round(baselineLoad, 2),
        loadavg_1m_before_burst: round(loadBeforeBurst, 2),
        loadavg_1m_after_burst: round(loadAfterBurst, 2),
        cpu_pct_of_one_core_baseline: cpuBaseline,
        cpu_pct_of_one_core_burst: cpuBurst,
      },
      burst_seconds: round((burstTo - burstFrom) / 1000),
      attackers_cpu_seconds: round(report.cpuSeconds),
      honest: {
        requests_per_s: HONEST_PER_S,
        baseline: all.baseline,
        during: all.during,
        per_request: Object.fromEntries(STEPS.map((step) => [step, perStep[step]])),
        ratio_p50: round(all.during.p50Ms / all.baseline.p50Ms, 2),
        ratio_p99: ratioP99,
        goal_ratio_p99: GOAL_P99_RATIO,
        within_goal: ratioP99 <= GOAL_P99_RATIO,
      },
      refused: byKind,
      purchase_flood: {
        events_sent: FLOOD_CALLS * FLOOD_EVENTS_PER_CALL,
        accepted: floodAccepted,
        stored: flood.stored,
        counted: flood.counted,
        popularity_score: flood.score,
        uncapped_score_added: uncapped,
        popular_rank_before: rankBefore,
        popular_rank_after: rankAfter,
      },
      memory_mb: Object.fromEntries(
        [...pids.keys()].map((name) => [
          name,
          { rss_before: memoryBefore.get(name)!.rssMb, rss_after: memoryAfter.get(name)!.rssMb, peak: memoryAfter.get(name)!.peakMb },
        ]),
      ),
    };
    console.log(JSON.stringify(result));
  } finally {
    stopHandlingSignals();
    await cleanup();
  }
}

const role = process.argv[2] === ATTACK_ROLE ? attack : main;
role().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
