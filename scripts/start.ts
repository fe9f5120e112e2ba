/**
 * `npm start`: creates every database and its account (`pnpm db:setup`), migrates them, imports the demo data when the catalogue is empty,
 * starts the subgraphs and the gateway as separate processes, builds and serves the storefront and the merchant console,
 * creates the demo accounts (the admin made one the operator's way, as `pnpm admin:grant` does)
 * and prints where everything answers. Ctrl-C stops the whole platform.
 */
import { loadConfig, z } from '@serendip/config';
import { postGraphQL } from '@serendip/testing';
import { adminRolesEnv, withAdminRoles } from '../subgraphs/user/src';
import { importDemoData } from '../tools/demo-data/src';
import { dbSetupConfigSchema, setUpDatabases } from './db-setup';
import { buildConsole, startConsoleServer } from '../apps/console/server/serve';
import { buildStorefront, startStorefrontServer } from '../apps/storefront/server/serve';
import { DEFAULT_PORTS, startStack, stackEnv, type StackPorts } from './stack';

const DEMO_SHOPPER = { email: 'demo@serendip.dev', password: 'serendip-demo', displayName: 'Demo Shopper' };
const DEMO_ADMIN = { email: 'admin@serendip.dev', password: 'serendip-admin', displayName: 'Demo Admin' };

const port = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const startConfig = dbSetupConfigSchema.extend({
  REDIS_URL: adminRolesEnv.REDIS_URL,
  QUEUE_PREFIX: adminRolesEnv.QUEUE_PREFIX,
  JWT_TTL_SECONDS: adminRolesEnv.JWT_TTL_SECONDS,
  // The ports each process reads (README), so a second platform can run beside the first.
  GATEWAY_PORT: port(DEFAULT_PORTS.gateway),
  USER_PORT: port(DEFAULT_PORTS.user),
  CATALOGUE_PORT: port(DEFAULT_PORTS.catalogue),
  RECOMMENDATION_PORT: port(DEFAULT_PORTS.recommendation),
  FEEDBACK_PORT: port(DEFAULT_PORTS.feedback),
  WORKER_HEALTH_PORT: port(DEFAULT_PORTS.worker),
  STOREFRONT_PORT: port(4100),
  CONSOLE_PORT: port(4200),
  /** `demo` keeps the first start under a minute; `full` imports every record. */
  DEMO_PROFILE: z.enum(['demo', 'full', 'none']).default('demo'),
});

async function ensureAccount(gateway: string, account: typeof DEMO_SHOPPER): Promise<string> {
  const headers = { 'x-serendip-csrf': '1' };
  const signIn = await postGraphQL<{ signIn: { token: string } }>(
    gateway,
    'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
    { email: account.email, password: account.password },
    headers,
  );
  if (signIn.data?.signIn) return signIn.data.signIn.token;
  const signUp = await postGraphQL<{ signUp: { token: string } }>(
    gateway,
    'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: account },
    headers,
  );
  if (!signUp.data?.signUp) throw new Error(`could not create ${account.email}: ${JSON.stringify(signUp.errors)}`);
  return signUp.data.signUp.token;
}

/** Gives the demo shopper a little history so their recommendations show something at once. */
async function seedDemoHistory(gateway: string, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'x-serendip-csrf': '1' };
  const me = await postGraphQL<{ me: { recentEvents: unknown[] } }>(gateway, '{ me { recentEvents(first: 1) { id } } }', {}, headers);
  if ((me.data?.me.recentEvents.length ?? 0) > 0) return;
  const products = await postGraphQL<{ searchProducts: { product: { id: string } }[] }>(
    gateway,
    '{ searchProducts(text: "moisturizing cream", first: 3) { product { id } } }',
    {},
    headers,
  );
  const ids = (products.data?.searchProducts ?? []).map((hit) => hit.product.id);
  const events = [
    { type: 'SEARCH', query: 'moisturizing cream', sessionId: 'demo-session', clientEventId: 'demo-search-1' },
    ...ids.map((productId, index) => ({ type: 'VIEW', productId, sessionId: 'demo-session', clientEventId: `demo-view-${index}` })),
  ];
  await postGraphQL(gateway, 'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', { events }, headers);
}

async function main(): Promise<void> {
  const config = loadConfig('start', startConfig);
  await setUpDatabases(config);
  if (config.DEMO_PROFILE !== 'none') {
    const counts = await importDemoData({ config, profile: config.DEMO_PROFILE, ifEmpty: true });
    console.info(counts.skipped ? 'demo data: already imported' : `demo data imported: ${JSON.stringify(counts)}`);
  }
  const ports: StackPorts = {
    gateway: config.GATEWAY_PORT,
    user: config.USER_PORT,
    catalogue: config.CATALOGUE_PORT,
    recommendation: config.RECOMMENDATION_PORT,
    feedback: config.FEEDBACK_PORT,
    worker: config.WORKER_HEALTH_PORT,
  };
  const stack = await startStack({
    env: stackEnv(ports),
    ports,
    onOutput: (name, line) => console.info(`[${name}] ${line}`),
  });
  const gateway = `http://127.0.0.1:${ports.gateway}/graphql`;
  const shopperToken = await ensureAccount(gateway, DEMO_SHOPPER);
  await ensureAccount(gateway, DEMO_ADMIN);
  await withAdminRoles(config, (roles) => roles.grant(DEMO_ADMIN.email));
  await seedDemoHistory(gateway, shopperToken);
  buildStorefront();
  buildConsole();
  const storefront = await startStorefrontServer({ port: config.STOREFRONT_PORT, gatewayUrl: gateway });
  const merchantConsole = await startConsoleServer({ port: config.CONSOLE_PORT, gatewayUrl: gateway });

  console.info(`
Serendip is running.
  Storefront (browser)         ${storefront.url}
  Merchant console (browser)   ${merchantConsole.url}  (sign in as the demo admin)
  GraphQL endpoint (gateway)   ${gateway}
  Apollo Sandbox (browser)     ${gateway}
  Health                       http://127.0.0.1:${ports.gateway}/healthz
  Subgraphs                    user :${ports.user}  catalogue :${ports.catalogue}  recommendation :${ports.recommendation}  feedback :${ports.feedback}
  Demo shopper                 ${DEMO_SHOPPER.email} / ${DEMO_SHOPPER.password}
  Demo admin                   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}
Send JSON (Content-Type: application/json) or the header x-serendip-csrf: 1 (CSRF prevention). Ctrl-C stops everything.`);

  const shutdown = () => {
    Promise.all([storefront.close(), merchantConsole.close(), stack.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
