/**
 * pnpm bench:gateway — the storefront's nested `me { … }` query through the gateway, against the
 * same data fetched from the subgraphs directly along the same plan (user → recommendation and
 * feedback in parallel → catalogue). Both sides run in one process with one load loop, alternating
 * rounds, against a throwaway stack in production mode. Last line: one JSON object.
 */
import { commonEnv, loadConfig } from '@serendip/config';
import { DATABASE_OWNERS, dropDatabase } from '@serendip/db';
import { signIdentity, type Identity, SUBGRAPHS } from '@serendip/federation';
import { dropRedisKeys, postGraphQL, testSecrets } from '@serendip/testing';
import { randomBytes } from 'node:crypto';
import { dbSetupConfigSchema, setUpDatabases } from '../../scripts/db-setup';
import { LOOPBACK_CLIENT_LIMITS, startStack, stackEnv, type StackPorts } from '../../scripts/stack';
import { adminRolesEnv, withAdminRoles, type AdminRolesSettings } from '../../subgraphs/user/src';
import { printTable, runLoad, type LoadResult } from './harness';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const NESTED = `{
  me {
    recentEvents(first: 20) { product { title } }
    reviews { product { title } }
    recommendations(first: 10) { product { title price } }
  }
}`;

async function main(): Promise<void> {
  const base = 15000 + (process.pid % 400) * 10;
  const ports: StackPorts = { gateway: base, user: base + 1, catalogue: base + 2, recommendation: base + 3, feedback: base + 4, worker: base + 5 };
  const secrets = testSecrets();
  const benchPrefix = `bench_${randomBytes(4).toString('hex')}`;
  const extra = {
    ...LOOPBACK_CLIENT_LIMITS,
    NODE_ENV: 'production',
    // The bench's clients send operation text, as the Sandbox does; trusted documents are not what it measures.
    ARBITRARY_OPERATIONS: 'allow',
    MYSQL_DATABASE_PREFIX: benchPrefix,
    QUEUE_PREFIX: benchPrefix,
    LOG_LEVEL: 'warn' as const,
    ...secrets,
  };
  const env = stackEnv(ports, extra);
  const settings = loadConfig(
    'bench',
    dbSetupConfigSchema.extend({ REDIS_URL: commonEnv.REDIS_URL, QUEUE_PREFIX: adminRolesEnv.QUEUE_PREFIX, JWT_TTL_SECONDS: adminRolesEnv.JWT_TTL_SECONDS }),
    { ...process.env, ...extra },
  );
  await setUpDatabases(settings);
  console.error('bench: starting the stack (production mode, throwaway databases)…');
  const stack = await startStack({ env, ports });
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const gateway = url(ports.gateway);
  try {
    const seeded = await seed(gateway, settings);
    console.error(`bench: seeded ${seeded.products.length} products, ${seeded.events} events, ${seeded.reviews} reviews`);

    const auth = { authorization: `Bearer ${seeded.token}` };
    const viaGateway = async () => {
      const response = await postGraphQL(gateway, NESTED, {}, auth);
      return !response.errors && response.status === 200;
    };
    const identity: Identity = { userId: seeded.userId, roles: ['shopper'] };
    const direct = async () => {
      const headers = { 'x-serendip-identity': signIdentity(secrets.GATEWAY_SECRET, identity, SUBGRAPHS) };
      const me = await postGraphQL<{ me: { id: string } }>(url(ports.user), '{ me { id } }', {}, headers);
      const reps = [{ __typename: 'User', id: me.data!.me.id }];
      const [recommendation, feedback] = await Promise.all([
        postGraphQL<{ _entities: { recentEvents: { product: { id: string } | null }[]; recommendations: { product: { id: string } }[] }[] }>(
          url(ports.recommendation),
          'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recentEvents(first: 20) { product { id } } recommendations(first: 10) { product { id } } } } }',
          { reps },
          headers,
        ),
        postGraphQL<{ _entities: { reviews: { product: { id: string } }[] }[] }>(
          url(ports.feedback),
          'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { reviews { product { id } } } } }',
          { reps },
          headers,
        ),
      ]);
      const user = recommendation.data!._entities[0]!;
      const ids = new Set<string>([
        ...user.recentEvents.flatMap((event) => (event.product ? [event.product.id] : [])),
        ...user.recommendations.map((item) => item.product.id),
        ...feedback.data!._entities[0]!.reviews.map((review) => review.product.id),
      ]);
      const products = await postGraphQL<{ _entities: { title: string }[] }>(
        url(ports.catalogue),
        'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Product { title price } } }',
        { reps: [...ids].map((id) => ({ __typename: 'Product', id })) },
        headers,
      );
      return !products.errors && products.data!._entities.length === ids.size;
    };
    if (!(await viaGateway()) || !(await direct())) throw new Error('a bench request failed before measuring');

    const rounds: { gateway: LoadResult; direct: LoadResult }[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      console.error(`bench: round ${round}/${ROUNDS}`);
      const options = { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 2 };
      rounds.push({
        gateway: await runLoad(`gateway (round ${round})`, viaGateway, options),
        direct: await runLoad(`subgraphs direct (round ${round})`, direct, options),
      });
    }
    printTable(rounds.flatMap((round) => [round.gateway, round.direct]));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const summary = (pick: (r: { gateway: LoadResult; direct: LoadResult }) => LoadResult) => ({
      req_per_s: Number(mean(rounds.map((r) => pick(r).perSecond)).toFixed(1)),
      p50_ms: Number(mean(rounds.map((r) => pick(r).p50Ms)).toFixed(2)),
      p99_ms: Number(mean(rounds.map((r) => pick(r).p99Ms)).toFixed(2)),
      errors: rounds.reduce((sum, r) => sum + pick(r).errors, 0),
    });
    const result = {
      bench: 'gateway',
      concurrency: CONCURRENCY,
      seconds_per_case: SECONDS,
      rounds: ROUNDS,
      gateway: summary((r) => r.gateway),
      direct: summary((r) => r.direct),
      ratio_req_per_s: Number(mean(rounds.map((r) => r.gateway.perSecond / r.direct.perSecond)).toFixed(3)),
      ratio_p50: Number(mean(rounds.map((r) => r.gateway.p50Ms / r.direct.p50Ms)).toFixed(3)),
      ratio_p99: Number(mean(rounds.map((r) => r.gateway.p99Ms / r.direct.p99Ms)).toFixed(3)),
    };
    console.log(`\ngateway/direct: ${result.ratio_req_per_s}× the throughput, ${result.ratio_p50}× the median latency`);
    console.log(JSON.stringify(result));
  } finally {
    await stack.stop();
    for (const owner of DATABASE_OWNERS) await dropDatabase(settings, owner);
    await dropRedisKeys(settings.REDIS_URL, benchPrefix);
  }
}

async function seed(gateway: string, settings: AdminRolesSettings) {
  const signUp = async (email: string) => {
    const response = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
      gateway,
      'mutation ($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      { input: { email, password: 'bench-password', displayName: email.split('@')[0] } },
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.signUp;
  };
  await signUp('admin@bench.serendip.test');
  await withAdminRoles(settings, (roles) => roles.grant('admin@bench.serendip.test'));
  // Signed in again, so the token carries the role just granted.
  const admin = await postGraphQL<{ signIn: { token: string } }>(
    gateway,
    'mutation { signIn(email: "admin@bench.serendip.test", password: "bench-password") { token } }',
  );
  const asAdmin = { authorization: `Bearer ${admin.data!.signIn.token}` };
  const category = await postGraphQL<{ createCategory: { id: string } }>(gateway, 'mutation { createCategory(input: { name: "Bench" }) { id } }', {}, asAdmin);
  const products: string[] = [];
  for (let index = 0; index < 30; index += 1) {
    const response = await postGraphQL<{ createProduct: { id: string } }>(
      gateway,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `BENCH-${index}`, title: `Bench product ${index}`, categoryId: category.data!.createCategory.id, price: 10 + index } },
      asAdmin,
    );
    products.push(response.data!.createProduct.id);
  }
  const shopper = await signUp('shopper@bench.serendip.test');
  const asShopper = { authorization: `Bearer ${shopper.token}` };
  const events = products.slice(0, 20).map((productId, index) => ({
    type: index % 5 === 0 ? 'PURCHASE' : 'VIEW',
    productId,
    sessionId: 'bench',
    clientEventId: `bench-${index}`,
  }));
  await postGraphQL(gateway, 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', { events }, asShopper);
  for (const productId of products.slice(0, 10)) {
    await postGraphQL(
      gateway,
      'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
      { input: { productId, rating: 4, text: 'Solid product for the benchmark.' } },
      asShopper,
    );
  }
  return { token: shopper.token, userId: shopper.user.id, products, events: events.length, reviews: 10 };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
