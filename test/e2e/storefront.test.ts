import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { buildStorefront, startStorefrontServer, type StorefrontServer } from '../../apps/storefront/server/serve';
import { launchChromium, offlineContext, screenshotPath } from '../support/browser';
import { admin as signInAdmin, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';

// Building the app, starting Chromium and waiting for the worker's push on a shared 2-core machine takes seconds.
jest.setTimeout(120_000);

const stack = readStack();
const run = randomBytes(3).toString('hex');
const CATEGORY = `Storefront ${run}`;
const TITLES = ['Storefront kettle', 'Storefront teapot', 'Storefront mug', 'Storefront tea tin'];
let browser: Browser;
let storefront: StorefrontServer;

beforeAll(async () => {
  // The storefront as npm start serves it: Vite's production build behind its own server.
  buildStorefront();
  storefront = await startStorefrontServer({ port: 0, gatewayUrl: stack.gatewayUrl });
  browser = await launchChromium();

  const admin = await signInAdmin();
  const category = await admin.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
    name: CATEGORY,
  });
  const productIds: string[] = [];
  for (const [index, title] of TITLES.entries()) {
    const product = await admin.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { sku: `E2E-SHOP-${run}-${index}`, title, categoryId: category.data!.createCategory.id, price: 12 + index, currency: 'EUR', tags: ['e2e'] },
    });
    if (!product.data) throw new Error(JSON.stringify(product.errors));
    productIds.push(product.data.createProduct.id);
  }
  // Another shopper's engagement makes them popular, so a new shopper's rail has products at once.
  const crowd = await signUp();
  const tracked = await crowd.call('mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }', {
    events: productIds.map((productId, index) => ({ type: 'PURCHASE', productId, sessionId: 'crowd', clientEventId: `shop-crowd-${index}` })),
  });
  expect(tracked.errors).toBeUndefined();
});

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
});

describe('the storefront in a browser', () => {
  it('signs a shopper up, browses a category, and the "for you" rail changes without a reload; search finds by words', async () => {
    const { context, blocked } = await offlineContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(storefront.url);
    await page.getByText('Sign in / sign up').click();
    await page.getByLabel('name').fill('Browser shopper');
    await page.getByLabel('email').fill(`browser-${run}@e2e.serendip.test`);
    await page.getByLabel('password').fill('e2e-password');
    await page.getByRole('button', { name: 'Sign up' }).click();

    // Signed up, back home: the live rail shows a first slate, each item with its reason.
    const rail = page.getByTestId('for-you');
    await page.waitForFunction(() => document.querySelector('[data-testid="for-you"]')?.getAttribute('data-recommendation-id') !== '', null, {
      timeout: 30_000,
    });
    const first = await rail.getAttribute('data-recommendation-id');
    expect(await rail.locator('li .reason').count()).toBeGreaterThan(0);
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

    await page.getByRole('link', { name: CATEGORY }).click();
    await page.getByTestId('products').getByRole('link', { name: 'Storefront teapot' }).click();
    await page.getByTestId('product').getByRole('heading', { name: 'Storefront teapot' }).waitFor();

    // The view reaches the worker, which updates the shopper's interests and announces it; the
    // recommendation subgraph pushes a fresh slate over the open socket.
    await page.waitForFunction((previous) => document.querySelector('[data-testid="for-you"]')?.getAttribute('data-recommendation-id') !== previous, first, {
      timeout: 30_000,
    });
    expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
    expect(await rail.locator('li').count()).toBeGreaterThan(0);

    // Search from the header, in the default (hybrid) mode, then by words alone.
    await page.getByLabel('search').fill('teapot');
    await page.getByLabel('search').press('Enter');
    const results = page.getByTestId('results');
    await results.getByRole('link', { name: 'Storefront teapot' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'lexical' }).click();
    await page.waitForURL(/mode=LEXICAL/);
    await results.getByRole('link', { name: 'Storefront teapot' }).waitFor({ timeout: 15_000 });
    expect(await results.locator('li').filter({ hasText: 'Storefront teapot' }).innerText()).toMatch(/lexical/);
    await page.screenshot({ path: screenshotPath('storefront-live-rail'), fullPage: true });
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves only its own files, and answers GraphQL through the proxy with coded errors', async () => {
    const traversal = await fetch(new URL('/..%2f..%2fpackage.json', storefront.url));
    expect(traversal.status).toBe(404);
    const response = await fetch(new URL('/graphql', storefront.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['TRUSTED_DOCUMENT_NOT_FOUND']);
  });
});
