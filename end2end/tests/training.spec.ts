import { expect, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { addUser, logIn, logOut, register } from './accounts';

test('a trainer schedules a live session and takes attendance; a learner signs up and logs a training the trainer approves', async ({ page }, testInfo) => {
  // Attendance opens when the session starts: it starts within the minute.
  test.setTimeout(150_000);
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const trainer = `tia-${stamp}@example.org`;
  const learner = `lou-${stamp}@example.org`;
  const name = `Lou ${Date.now() % 100000}`;
  const title = `Safety practice ${stamp}`;
  addUser(trainer, 'Tia Trainer', 'admin');

  // The server keeps time in UTC; the session starts at the next whole minute at least 5 s away.
  const startsAt = Math.ceil((Date.now() + 5_000) / 60_000) * 60_000;
  await logIn(page, trainer);
  await page.goto('/teach/programs/peer-support-facilitator');
  const schedule = page.getByRole('form', { name: 'Live sessions' });
  await schedule.getByLabel('Title').fill(title);
  await schedule.getByLabel(/^Starts/).fill(new Date(startsAt).toISOString().slice(0, 16));
  await schedule.getByLabel('Place, or an https:// link for an online session').fill('Room 4, Riverside Library');
  await schedule.getByLabel('Counts towards').selectOption('safety');
  await schedule.getByLabel('Hours (like 2 or 1.5)').fill('2');
  await schedule.getByLabel('Places', { exact: true }).fill('5');
  await schedule.getByRole('button', { name: 'Schedule this session' }).click();
  await expect(page.getByText(title)).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await register(page, name, learner);
  await page.goto('/courses/safety-planning-and-crisis-response');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/safety-planning-and-crisis-response\/[a-z-]+$/);
  await page.goto('/me/record');
  await expect(page.getByText('Training hours: 0 minutes of 40 hours')).toBeVisible();
  await page.getByRole('button', { name: `Sign up for ${title}` }).click();
  await expect(page.locator('li.session', { hasText: title }).getByText('You have a place.')).toBeVisible();
  await expect(page.getByText('and 2 hours booked or waiting for a trainer')).toBeVisible();

  const elsewhere = page.getByRole('form', { name: 'Trainings taken elsewhere' });
  await elsewhere.getByLabel('Title of the training').fill('Mandated reporting in our county');
  await elsewhere.getByLabel('Who gave it').fill('County Family Services');
  await elsewhere.getByLabel('Date', { exact: true }).fill('2026-11-20');
  await elsewhere.getByLabel('Hours (like 2 or 1.5)').fill('3');
  await elsewhere.getByLabel('What it covered').selectOption('ethics');
  await elsewhere.getByRole('button', { name: 'Log this training' }).click();
  await expect(page.getByText('waiting for a trainer', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await page.waitForTimeout(Math.max(0, startsAt + 1_000 - Date.now()));
  await logIn(page, trainer);
  await page.goto('/teach/queue');
  await expect(page.getByRole('heading', { name: 'Attendance to take' })).toBeVisible();
  await page.getByRole('group', { name }).getByLabel('Attended').check();
  await expectAccessible(page);
  await page.getByRole('button', { name: `Save attendance for ${title}` }).click();
  await expect(page.getByRole('button', { name: `Save attendance for ${title}` })).toHaveCount(0);
  await page.getByRole('button', { name: `Confirm for ${name}` }).click();
  await expect(page.getByRole('button', { name: `Confirm for ${name}` })).toHaveCount(0);
  await logOut(page);

  await logIn(page, learner);
  await page.goto('/me/record');
  await expect(page.getByText('Training hours: 5 hours of 40 hours')).toBeVisible();
  await expect(page.getByText('You attended: its hours count.')).toBeVisible();
  await expect(page.getByText('approved by Tia Trainer')).toBeVisible();
  const transcript = await page.request.get('/me/record.pdf');
  expect(transcript.status()).toBe(200);
  expect(transcript.headers()['content-type']).toBe('application/pdf');
  expect(scriptErrors).toEqual([]);
});
