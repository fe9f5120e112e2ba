import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's chromium, which scripts/chromium.sh installs (npm test, .ci/run); CHROMIUM_PATH points elsewhere (another distribution, a developer's own build). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Test artefacts, ignored by git: one PNG per screenshot a browser test takes. */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Headless Chromium for browser tests. Background networking (update checks, safe browsing, field
 * trials) is off so that the only traffic is the page's own, which `offlineContext` then confines.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (bash scripts/chromium.sh) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A browser context that reaches loopback alone, as on a machine without internet: every other
 * request is aborted as a disconnected network would fail it, and listed in `blocked` so a test
 * can tell what the page tried to fetch from outside.
 */
export async function offlineContext(browser: Browser): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (LOOPBACK.has(new URL(url).hostname)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return { context, blocked };
}

/** The path of a screenshot named `name` under SCREENSHOTS (made if missing). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
