import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { buildStorefront, startStorefrontServer, type StorefrontServer } from '../../apps/storefront/server/serve';
import { launchChromium, offlineContext, screenshotPath } from '../support/browser';
import { admin as signInAdmin, gatewayClient, signIn, signUp } from '../support/gateway';
import { readStack } from '../support/stack-env';
import { stackDatabase, stackSql } from '../support/stack-sql';
import { waitFor } from '../support/wait';

// Building the app, starting Chromium and waiting for the worker's push on a shared 2-core machine takes seconds.
jest.setTimeout(120_000);

const stack = readStack();
const run = randomBytes(3).toString('hex');
const CATEGORY = `Storefront ${run}`;
const TITLES = ['Storefront kettle', 'Storefront teapot', 'Storefront mug', 'Storefront tea tin'];
let browser: Browser;
let storefront: StorefrontServer;

/** Signs a new shopper up through the page's own form; they land home with the rail subscribed. */
async function signUpInPage(page: Page, email: string): Promise<void> {
  await page.goto(storefront.url);
  await page.getByText('Sign in / sign up').click();
  await page.getByLabel('name').fill('Browser shopper');
  await page.getByLabel('email').fill(email);
  await page.getByLabel('password').fill('e2e-password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('link', { name: 'Me' }).waitFor();
}

/** Waits until the live rail shows a slate other than `previous` ('' for the first), and returns its id. */
async function nextSlate(page: Page, previous: string | null): Promise<string> {
  await page.waitForFunction((shown) => document.querySelector('[data-testid="for-you"]')?.getAttribute('data-recommendation-id') !== shown, previous ?? '', {
    timeout: 30_000,
  });
  return (await page.getByTestId('for-you').getAttribute('data-recommendation-id')) ?? '';
}

/** A page's uncaught errors and failed responses, which every browser test requires to stay empty. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

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
    const problems = watchProblems(page);
    await signUpInPage(page, `browser-${run}@e2e.serendip.test`);

    // Signed up, back home: the live rail shows a first slate, each item with its reason.
    const rail = page.getByTestId('for-you');
    const first = await nextSlate(page, null);
    expect(await rail.locator('li .reason').count()).toBeGreaterThan(0);
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

    await page.getByRole('link', { name: CATEGORY }).click();
    await page.getByTestId('products').getByRole('link', { name: 'Storefront teapot' }).click();
    await page.getByTestId('product').getByRole('heading', { name: 'Storefront teapot' }).waitFor();

    // The view reaches the worker, which updates the shopper's interests and announces it; the
    // recommendation subgraph pushes a fresh slate over the open socket.
    await nextSlate(page, first);
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

  it('fills a cart from the rail and places the order with the slate credited, and shows a Chinese review with its analysis', async () => {
    const { context, blocked } = await offlineContext(browser);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signUpInPage(page, `cart-${run}@e2e.serendip.test`);
    await nextSlate(page, null);

    // A product found in the rail: the click, the cart and the purchase each name the slate that showed it.
    const { href, title } = await page.evaluate(() => {
      const link = document.querySelector<HTMLAnchorElement>('[data-testid="for-you"] li a');
      return { href: link?.getAttribute('href') ?? '', title: link?.textContent ?? '' };
    });
    const [, productId, slate] = /^#\/product\/(\d+)\?recommendation=(.+)$/.exec(href) ?? [];
    expect({ productId, slate }).toEqual({ productId: expect.any(String), slate: expect.any(String) });
    await page.locator(`[data-testid="for-you"] a[href="${href}"]`).click();
    await page.getByTestId('product').getByRole('heading', { name: title }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('link', { name: 'Cart (1)' }).waitFor();

    // A review in Chinese: shown at once as being read, then with what the worker pool read in it.
    const review = '质量很好，物流也很快，非常满意！';
    await page.getByLabel('your review').fill(review);
    await page.getByRole('button', { name: 'Post review' }).click();
    const posted = page.getByTestId('reviews').locator('li').filter({ hasText: review });
    await posted.getByTestId('analysis').waitFor({ timeout: 30_000 });
    expect(await posted.getByTestId('analysis').innerText()).toMatch(/^positive · .*quality: positive/);
    await page.screenshot({ path: screenshotPath('storefront-review-analysis'), fullPage: true });

    await page.getByRole('link', { name: 'View cart' }).click();
    expect(await page.getByTestId('cart').innerText()).toContain(title);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText('Thank you: your order of 1 item(s) is placed.').waitFor();
    await page.getByRole('link', { name: 'Cart (0)' }).waitFor();

    const token = await page.evaluate(() => window.localStorage.getItem('serendip.token'));
    const me = await gatewayClient(token ?? undefined)<{ me: { id: string } }>('{ me { id } }');
    const sql = await stackSql();
    try {
      const [rows] = await sql.query(
        `SELECT type, recommendation_id AS recommendationId FROM ${stackDatabase('recommendation')}.behaviour_event
         WHERE user_id = ? AND product_id = ? AND type IN ('CLICK', 'CART', 'PURCHASE') ORDER BY id`,
        [me.data!.me.id, productId],
      );
      expect(rows).toEqual([
        { type: 'CLICK', recommendationId: slate },
        { type: 'CART', recommendationId: slate },
        { type: 'PURCHASE', recommendationId: slate },
      ]);
    } finally {
      await sql.end();
    }
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a shopper what the shop knows of them, lets them remove an interest, withdraw consent and be forgotten', async () => {
    const { context, blocked } = await offlineContext(browser);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const email = `me-${run}@e2e.serendip.test`;
    await signUpInPage(page, email);
    await page.getByRole('link', { name: CATEGORY }).click();
    for (const title of ['Storefront kettle', 'Storefront teapot']) {
      await page.getByTestId('products').getByRole('link', { name: title }).click();
      await page.getByTestId('product').getByRole('heading', { name: title }).waitFor();
      await page.goBack();
    }

    // The worker recognises interests from the views moments later; the page shows them when reloaded.
    await page.getByRole('link', { name: 'Me' }).click();
    const interests = page.getByTestId('interests').locator('li');
    for (const deadline = Date.now() + 30_000; (await interests.count()) === 0 && Date.now() < deadline;) {
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByTestId('me').waitFor();
    }
    expect(await interests.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('recent-events').innerText()).toMatch(/view Storefront teapot/);
    expect(await page.getByTestId('interests').innerText()).toContain('Built from 2 product views');
    await page.screenshot({ path: screenshotPath('storefront-me'), fullPage: true });
    const removeButton = page.getByRole('button', { name: /^Remove interest / });
    const label = ((await removeButton.first().getAttribute('aria-label')) ?? '').replace('Remove interest ', '');
    await removeButton.first().click();
    await page.getByTestId('removed-interests').getByText(label).waitFor();

    await page.getByLabel('Personalise recommendations from what I browse').uncheck();
    await page.getByText('Your recommendations do not use your behaviour').waitFor();
    const token = await page.evaluate(() => window.localStorage.getItem('serendip.token'));
    await waitFor(
      'consent withdrawn',
      async () =>
        (await gatewayClient(token ?? undefined)<{ me: { consent: { personalisation: boolean } } }>('{ me { consent { personalisation } } }')).data?.me,
      (me) => me?.consent.personalisation === false,
    );
    await page.getByRole('button', { name: 'Forget me…' }).click();
    await page.getByRole('button', { name: 'Yes, delete everything' }).click();
    await page.getByText(/^You are forgotten: your account, \d+ events/).waitFor();
    await page.getByText('Sign in / sign up').waitFor();
    await expect(signIn(email)).rejects.toThrow(/sign-in failed/);
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
