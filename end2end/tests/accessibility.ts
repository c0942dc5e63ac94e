import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';

/**
 * Runs axe-core on the page and fails on any serious or critical violation.
 *
 * axe needs to run a script in the page. Where the page has JavaScript
 * turned off, the same URL is opened in a twin context that shares the
 * cookies and allows scripts for axe only: the app's own bundle is blocked,
 * so axe sees exactly the server-rendered page a no-JavaScript visitor gets.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const javaScriptOn = test.info().project.use.javaScriptEnabled !== false;
  let target = page;
  let twin: BrowserContext | undefined;
  if (!javaScriptOn) {
    const browser = page.context().browser()!;
    // The same width as the page under test: a phone layout is checked as a phone.
    twin = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
    await twin.addCookies(await page.context().cookies());
    await twin.route('**/pkg/*.{js,wasm}', (route) => route.abort());
    target = await twin.newPage();
    await target.goto(page.url());
  }
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) on ${target.url()}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
    expect(blocking, blocking.join('\n')).toEqual([]);
  } finally {
    await twin?.close();
  }
}
