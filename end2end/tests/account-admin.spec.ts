import { expect, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { addUser, logIn, mailedLink } from './accounts';

test('a site admin finds an account, turns it off and on, and sends a reset link', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const admin = `ada-${stamp}@example.org`;
  const gil = `gil-${stamp}@example.org`;
  addUser(admin, 'Ada Admin', 'admin');
  addUser(gil, 'Gil', 'learner');
  await logIn(page, admin);

  await page.getByRole('link', { name: 'Accounts' }).click();
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  await expectAccessible(page);
  await page.getByLabel('Find by name or email').fill(gil);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page).toHaveURL(/\/admin\/accounts\?q=/);
  await expect(page.getByText(`<${gil}>`)).toBeVisible();
  await expect(page.getByText('never signed in')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: "Turn Gil's account off" }).click();
  await expect(page.getByText('turned off')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: "Turn Gil's account back on" }).click();
  await expect(page.getByRole('button', { name: "Turn Gil's account off" })).toBeVisible();

  await page.getByRole('button', { name: 'Send Gil a password reset link' }).click();
  expect(await mailedLink(gil, '/reset-password/')).toMatch(/^\/reset-password\/[0-9a-f]{64}$/);
  expect(scriptErrors).toEqual([]);
});
