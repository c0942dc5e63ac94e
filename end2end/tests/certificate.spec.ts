import { expect, test } from './fixtures';
import { expectAccessible, expectDatesOnOneLine } from './accessibility';
import { PASSWORD, register } from './accounts';
import { completeDemoProgram } from './demo-program';

// Earning a certificate, finding it on the dashboard, and checking its code
// as an organization would: with JavaScript and without.
test('completing a program issues a certificate that anyone can check', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const email = `certified-${testInfo.project.name}-${Date.now()}@example.org`;

  await page.goto('/register');
  await page.getByLabel('Your name').fill('Zoë Łukasiewicz-Nguyễn');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/me$/);

  await completeDemoProgram(page);

  await page.goto('/me');
  await expect(page.getByRole('heading', { name: 'Your certificates' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Demo Program' })).toBeVisible();
  const code = (await page.locator('.card code').first().textContent())!.trim();
  expect(code).toMatch(/^HS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/);
  const pdf = await page.request.get(`/certificates/${code}/certificate.pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  await expect(page.getByRole('link', { name: 'Download signed credential' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Your data: download a copy, or delete your account' }).click();
  await expect(page.getByRole('heading', { name: 'Your data', level: 1 })).toBeVisible();
  const data = await page.request.get('/me/data.json');
  expect((await data.json()).certificates[0].code).toBe(code);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.goto('/');
  await page.getByRole('link', { name: 'Check a certificate' }).click();
  await expect(page).toHaveURL(/\/verify$/);
  await expectAccessible(page);
  await page.getByLabel('Certificate code').fill(code.toLowerCase().replaceAll('-', ''));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'Valid' })).toBeVisible();
  await expect(page.getByText('Zoë Łukasiewicz-Nguyễn')).toBeVisible();
  await expectAccessible(page);

  const typo = code.slice(0, -1) + (code.endsWith('7') ? '8' : '7');
  await page.goto(`/verify/${typo}`);
  await expect(page.getByRole('heading', { name: 'This code has a typo' })).toBeVisible();
  await expectAccessible(page);

  expect(scriptErrors).toEqual([]);
});

// An old phone, 375 px wide: the pages that show a certified learner's dates
// pass axe and never break a date across two lines ("valid until 2027-12-"
// above "04" on the verify page, before dates were kept whole).
test('on a phone the certificate pages are accessible and keep each date whole', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await register(page, 'Rosa', `phone-${testInfo.project.name}-${Date.now()}@example.org`);
  await completeDemoProgram(page);
  await page.goto('/me');
  const code = (await page.locator('.card code').first().textContent())!.trim();
  for (const path of ['/me', '/courses/demo-course', '/me/record', '/me/privacy', `/verify/${code}`]) {
    await page.goto(path);
    await expectDatesOnOneLine(page);
    await expectAccessible(page);
  }
  await expect(page.getByRole('heading', { name: 'Valid' })).toBeVisible();
});
