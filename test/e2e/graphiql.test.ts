import { launchChromium, offlineContext, screenshotPath } from '../support/browser';
import { readStack } from '../support/stack-env';
import type { Browser } from 'playwright-core';

// Starting Chromium and GraphiQL's bundle on a shared 2-core machine takes seconds.
jest.setTimeout(90_000);

describe('exploring the API without internet', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('falls back from Apollo Sandbox to the gateway’s own GraphiQL, which runs a query', async () => {
    const { gatewayUrl } = readStack();
    const { context, blocked } = await offlineContext(browser);
    const page = await context.newPage();
    // Every loopback request the page makes must succeed: a missing asset would leave GraphiQL half-drawn.
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => {
      if (!blocked.includes(request.url())) failed.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`);
    });
    page.on('pageerror', (error) => failed.push(`page error: ${error.message}`));

    // The development landing page, as a browser asks for it.
    await page.goto(gatewayUrl, { waitUntil: 'commit' });
    await page.waitForURL(new URL('/graphiql', gatewayUrl).href, { timeout: 20_000 });
    expect(blocked).toEqual([expect.stringMatching(/^https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\//)]);

    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ categories { id name } }');
    await page.locator('.graphiql-execute-button').click();

    // The catalogue subgraph answers through the gateway: a list, empty or not, and no errors.
    const result = page.locator('section.result-window');
    await result.filter({ hasText: '"categories": [' }).waitFor({ timeout: 30_000 });
    expect(await result.innerText()).not.toContain('"errors"');
    await page.screenshot({ path: screenshotPath('graphiql-offline') });
    expect(failed).toEqual([]);
    expect(blocked).toHaveLength(1);
    await context.close();
  });

  it('runs subscriptions over the gateway’s graphql-ws endpoint', async () => {
    const { gatewayUrl } = readStack();
    const { context, blocked } = await offlineContext(browser);
    const page = await context.newPage();
    await page.goto(new URL('/graphiql', gatewayUrl).href);
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('subscription Slate { recommendationsUpdated { __typename } }');
    // Every frame of every socket the page opens, from its first (listeners added later miss the ack).
    const sockets: string[] = [];
    const frames: { type: string }[] = [];
    const answered = new Promise<void>((resolve) =>
      page.on('websocket', (socket) => {
        sockets.push(socket.url());
        socket.on('framereceived', (frame) => frames.push(JSON.parse(String(frame.payload)) as { type: string }));
        // A live subscription with nothing to report yet sends nothing more: the subscribe going out is the end.
        socket.on('framesent', (frame) => {
          const message = JSON.parse(String(frame.payload)) as { type: string };
          frames.push(message);
          if (message.type === 'subscribe') resolve();
        });
      }),
    );
    // Named: GraphiQL's fetcher tells a subscription (sent on the socket) from the operation's name.
    await page.locator('.graphiql-execute-button').click();
    await answered;
    expect(sockets).toEqual([new URL('/graphql', gatewayUrl.replace(/^http/, 'ws')).href]);
    // The gateway accepted the connection (graphql-ws sends the subscription only after its ack).
    expect(frames.map((frame) => frame.type).slice(0, 3)).toEqual(['connection_init', 'connection_ack', 'subscribe']);
    expect(blocked).toEqual([]);
    await context.close();
  });
});
