import { expect, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { mailedLink, register } from './accounts';

test('a learner confirms their address, moves to a new one, forgets their password and gets back in with the mailed link', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const email = `rae-${testInfo.project.name}-${Date.now()}@example.org`;
  await register(page, 'Rae', email);

  await page.goto('/me/privacy');
  await expect(page.getByText("It isn't confirmed yet")).toBeVisible();
  await expectAccessible(page);
  await page.goto(await mailedLink(email, '/confirm-email/'));
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page).toHaveURL(/\/email-confirmed$/);
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
  await page.goto('/me/privacy');
  await expect(page.getByText('and it is confirmed')).toBeVisible();

  const moved = `rae-new-${testInfo.project.name}-${Date.now()}@example.org`;
  await page.getByLabel('New email address').fill(moved);
  // Two forms on this page ask for the password; this is the address one.
  await page.locator('#address-password').fill('a long enough password');
  await page.getByRole('button', { name: 'Send a link to the new address' }).click();
  await expect(page.getByText('A link is on its way to the new address.')).toBeVisible();
  await expect(page.getByText(`Your email address is ${email}, and it is confirmed.`)).toBeVisible();
  await expectAccessible(page);
  await page.goto(await mailedLink(moved, '/confirm-email/'));
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page).toHaveURL(/\/email-confirmed$/);
  await page.goto('/me/privacy');
  await expect(page.getByText(`Your email address is ${moved}, and it is confirmed.`)).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expectAccessible(page);
  await page.getByLabel('Email').fill(moved);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page).toHaveURL(/\/forgot-password\/sent$/);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(await mailedLink(moved, '/reset-password/'));
  await expectAccessible(page);
  await page.getByLabel('New password (at least 12 characters)').fill('a different long password');
  await page.getByRole('button', { name: 'Set my new password' }).click();
  await expect(page).toHaveURL(/\/me\?password=reset$/);
  await expect(page.getByText('Welcome back, Rae.')).toBeVisible();

  await page.goto('/me/privacy');
  await page.getByLabel('Your current password').fill('a different long password');
  await page.getByLabel('New password (at least 12 characters)').fill('a third long password');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.getByText('Your password is changed')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=everywhere$/);
  await expect(page.getByText('You are signed out on every device.')).toBeVisible();
  expect(scriptErrors).toEqual([]);
});
