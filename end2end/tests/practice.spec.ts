import { expect, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { addUser, logIn, logOut, register } from './accounts';

test('a learner logs practice and signs the code of ethics; the supervisor confirms it and scores a role play', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const supervisor = `sam-${stamp}@example.org`;
  const learner = `lee-${stamp}@example.org`;
  const name = `Lee ${Date.now() % 100000}`;
  // A site admin staffs every program, so may also score its role plays.
  addUser(supervisor, 'Sam Supervisor', 'admin');
  await register(page, name, learner);
  await page.goto('/courses/foundations-of-peer-support');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/foundations-of-peer-support\/[a-z-]+$/);

  await page.goto('/me');
  await page.getByRole('link', { name: /Your record/ }).click();
  await expect(page).toHaveURL(/\/me\/record$/);
  await expect(page.getByText('Supervised practice: 0 minutes of 10 hours confirmed')).toBeVisible();
  await expectAccessible(page);

  const practice = page.getByRole('form', { name: 'Supervised practice' });
  await practice.getByLabel('Date of the session').fill('2026-11-30');
  await practice.getByLabel('Hours (like 2 or 1.5)').fill('2');
  await practice.getByLabel('Your role').selectOption('co_facilitator');
  await practice.getByLabel("Your supervisor's email address").fill(supervisor);
  await practice.getByRole('button', { name: 'Log this session' }).click();
  await expect(page.getByText('waiting for Sam Supervisor')).toBeVisible();
  await expect(page.getByText('and 2 hours waiting for your supervisor')).toBeVisible();

  const code = 'Code of ethics for peer facilitators';
  await page.getByLabel(`I have read “${code}” and agree to it.`).check();
  await page.getByRole('button', { name: `Sign “${code}”` }).click();
  await expect(page.getByText(`${code}: signed on`)).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logIn(page, supervisor);
  await page.goto('/teach');
  await page.getByRole('link', { name: 'Waiting for you: practice to confirm' }).click();
  await expect(page).toHaveURL(/\/teach\/queue$/);
  await expect(page.getByText(`${name} · Peer Support Group Facilitator`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: `Confirm for ${name}` }).click();
  await expect(page.getByRole('button', { name: `Confirm for ${name}` })).toHaveCount(0);

  // The role play, watched and scored against its checklist.
  await page.goto('/teach/programs/peer-support-facilitator');
  const lee = page.locator('li.program-learner', { hasText: name });
  await lee.getByText('Opening a group and setting agreements: not yet passed').click();
  const form = lee.locator('form', { hasText: 'Record the role play' }).first();
  await form.getByLabel('Watched on').fill('2026-11-30');
  for (const met of await form.locator('input[value="met"]').all()) await met.check();
  await expectAccessible(page);
  await form.getByRole('button', { name: `Record the role play for ${name}` }).click();
  await expect(page.locator('li.program-learner', { hasText: name }).getByText('Opening a group and setting agreements: passed')).toBeVisible();
  await logOut(page);

  await logIn(page, learner);
  await page.goto('/me/record');
  await expect(page.getByText('Supervised practice: 2 hours of 10 hours confirmed')).toBeVisible();
  await expect(page.getByText('confirmed by Sam Supervisor')).toBeVisible();
  await expect(page.getByText('Role play “Opening a group and setting agreements”: passed')).toBeVisible();
  expect(scriptErrors).toEqual([]);
});
