import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { addUser, logIn, logOut } from './accounts';
import { completeDemoProgram } from './demo-program';

/** A volunteer earns the demo program's certificate; returns its code. */
async function earnCertificate(page: Page): Promise<string> {
  await completeDemoProgram(page);
  await page.goto('/me');
  return (await page.locator('.card code').first().textContent())!.trim();
}

// An admin sets up an organization; its admin invites a certified volunteer,
// who joins; the admin then reads the roster, checks a list of codes and
// opens the outcome dashboard. JavaScript on and off, axe on every page.
test('an organization follows its volunteers: roster, bulk verification, outcomes', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const run = `${testInfo.project.name}-${Date.now()}`;
  const organization = `Riverside Circle ${run}`;
  const admin = `admin-${run}@example.org`;
  const orgAdmin = `coordinator-${run}@example.org`;
  const volunteer = `volunteer-${run}@example.org`;
  addUser(admin, 'Ada Admin', 'admin');
  addUser(orgAdmin, 'Cora Coordinator', 'learner');
  addUser(volunteer, 'Zoë Łukasiewicz-Nguyễn', 'learner');

  await logIn(page, volunteer);
  const code = await earnCertificate(page);
  await logOut(page);

  await logIn(page, admin);
  await page.getByRole('link', { name: 'Organizations' }).click();
  await page.getByLabel('Name', { exact: true }).fill(organization);
  await page.getByRole('button', { name: 'Add the organization' }).click();
  const card = page.locator('section.card', { has: page.getByRole('heading', { name: organization }) });
  await card.getByLabel('Add an admin by the email of their account').fill(orgAdmin);
  await card.getByRole('button', { name: 'Add as admin' }).click();
  await expect(card.getByText('Run by Cora Coordinator')).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, orgAdmin);
  await page.getByRole('link', { name: 'Organization', exact: true }).click();
  await expect(page.getByRole('heading', { name: organization, level: 1 })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('Zoë Łukasiewicz-Nguyễn');
  await page.getByLabel('Email', { exact: true }).fill(volunteer);
  await page.getByRole('button', { name: 'Make an invitation link' }).click();
  const link = await page.getByLabel('Link for Zoë Łukasiewicz-Nguyễn').inputValue();
  expect(link).toMatch(/\/join\/[0-9a-f]{64}$/);
  await logOut(page);

  await logIn(page, volunteer);
  await page.goto(new URL(link).pathname);
  await page.getByRole('button', { name: `Join ${organization}` }).click();
  await expect(page.getByRole('heading', { name: 'Your data', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: `Leave ${organization}` })).toBeVisible();
  await logOut(page);

  // The roster: the volunteer, certified, in each filter that fits.
  await logIn(page, orgAdmin);
  await page.goto('/org');
  const members = page.getByRole('table', { name: 'Members: Everyone' });
  await expect(members.getByRole('rowheader', { name: /Zoë Łukasiewicz-Nguyễn/ })).toBeVisible();
  await expect(members.getByText('Valid', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Expired (0)' }).click();
  await expect(page.getByText('Nobody matches this filter right now.')).toBeVisible();
  await page.getByRole('link', { name: 'Certified (1)' }).click();
  await expect(page.getByRole('table', { name: 'Members: Certified' }).getByRole('rowheader', { name: /Zoë Łukasiewicz-Nguyễn/ })).toBeVisible();
  await expectAccessible(page);

  // Bulk verification: the real code, a typo of it, and nonsense.
  await page.getByRole('link', { name: 'Check many certificate codes' }).click();
  const typo = code.slice(0, -1) + (code.endsWith('7') ? '8' : '7');
  await page.getByLabel('Certificate codes').fill(`${code.toLowerCase()}\n${typo}\nnot a code\n`);
  await page.getByRole('button', { name: 'Check these codes' }).click();
  await expect(page.getByRole('heading', { name: 'Results for 3 codes' })).toBeVisible();
  const results = page.getByRole('table', { name: 'Results' });
  await expect(results.getByRole('row')).toHaveCount(4);
  await expect(results.getByText('Zoë Łukasiewicz-Nguyễn')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download the results (CSV)' })).toBeVisible();
  await expectAccessible(page);

  // The outcome dashboard, then a chosen range.
  await page.goto('/org');
  await page.getByRole('link', { name: 'Outcomes' }).click();
  await expect(page.getByRole('heading', { name: 'Outcomes', level: 1 })).toBeVisible();
  await expect(page.getByText(`Members of ${organization}`)).toBeVisible();
  const figure = (label: string) => page.locator('.figures div', { has: page.getByText(label, { exact: true }) }).locator('dd');
  await expect(figure('Enrolled')).toHaveText('1');
  await expect(figure('Certified')).toHaveText('1');
  await expect(figure('Completion rate')).toHaveText('100%');
  await expect(page.getByRole('img', { name: /Share of quiz attempts that passed, per course: Demo course 100%/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Last 30 days' }).click();
  await expect(page.getByRole('link', { name: 'Last 30 days' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Per week' })).toBeVisible();
  await expect(figure('Enrolled')).toHaveText('1');
  await page.getByLabel('From').fill('2020-01-01');
  await page.getByLabel('To').fill('2020-12-31');
  await page.getByRole('button', { name: 'Show this range' }).click();
  await expect(page.getByText('Nobody in this group started a course in this range.')).toBeVisible();
  await expect(figure('Enrolled')).toHaveText('0');
  await expectAccessible(page);

  expect(scriptErrors).toEqual([]);
});
