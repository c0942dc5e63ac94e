import { expect, test as base, type Page } from '@playwright/test';

/**
 * Every browser test runs as one person on one machine of their own, and
 * fails if the browser reports a Content-Security-Policy violation.
 *
 * The test server believes `X-Forwarded-For` from loopback (as it would
 * from a reverse proxy): each test gets its own address, so that the many
 * accounts a run creates are not throttled as if one visitor made them all.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  extraHTTPHeaders: async ({}, use, testInfo) => {
    const n = Math.abs([...testInfo.testId + testInfo.project.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
    await use({ 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });
  },
  cspViolations: async ({ context }, use) => {
    const violations: string[] = [];
    context.on('console', (message) => {
      if (/Content.Security.Policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`securitypolicyviolation: ${event.violatedDirective} blocked ${event.blockedURI}`),
      );
    });
    await use(violations);
    expect(violations, violations.join('\n')).toEqual([]);
  },
  page: async ({ page, cspViolations }, use) => {
    void cspViolations;
    await use(page);
  },
});

export { expect };

/**
 * With JavaScript, waits until the page's islands (the quick exit, the
 * editor's live preview) have come alive: they load once the browser is
 * idle, after the page itself, and the bundle is the last thing fetched.
 */
export async function islandsAwake(page: Page): Promise<void> {
  if (test.info().project.use.javaScriptEnabled !== false) {
    await page.waitForLoadState('networkidle');
  }
}
