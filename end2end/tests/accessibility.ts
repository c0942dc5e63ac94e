import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/**
 * Runs `check` on a page where a test's script may run: the page itself, or,
 * where the page has JavaScript turned off, the same URL opened in a twin
 * context that shares the cookies and allows scripts for the check only:
 * the app's own bundle is blocked, so the check sees exactly the
 * server-rendered page a no-JavaScript visitor gets.
 */
export async function inScriptablePage<T>(page: Page, check: (target: Page) => Promise<T>): Promise<T> {
  if (test.info().project.use.javaScriptEnabled !== false) {
    return check(page);
  }
  const browser = page.context().browser()!;
  // The same width as the page under test: a phone layout is checked as a phone.
  const twin = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    await twin.addCookies(await page.context().cookies());
    await twin.route('**/pkg/*.{js,wasm}', (route) => route.abort());
    const target = await twin.newPage();
    await target.goto(page.url());
    return await check(target);
  } finally {
    await twin.close();
  }
}

/** Runs axe-core on the page and fails on any serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  await inScriptablePage(page, async (target) => {
    const results = await new AxeBuilder({ page: target })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) on ${target.url()}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
    expect(blocking, blocking.join('\n')).toEqual([]);
  });
}

/**
 * Fails if any date written on the page (`2027-12-04`) is broken across
 * two lines, as browsers may do after a hyphen on a narrow screen.
 */
export async function expectDatesOnOneLine(page: Page): Promise<void> {
  const broken = await inScriptablePage(page, (target) =>
    target.evaluate(() => {
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, template')) continue;
        for (const date of (node.textContent ?? '').matchAll(/\d{4}-\d{2}-\d{2}/g)) {
          const range = document.createRange();
          range.setStart(node, date.index!);
          range.setEnd(node, date.index! + date[0].length);
          const lines = new Set(
            Array.from(range.getClientRects())
              .filter((rect) => rect.width > 0)
              .map((rect) => Math.round(rect.top)),
          );
          if (lines.size > 1) found.push(`${date[0]} in “${parent.textContent?.trim()}”`);
        }
      }
      return found;
    }),
  );
  expect(broken, `dates broken across lines on ${page.url()}`).toEqual([]);
}
