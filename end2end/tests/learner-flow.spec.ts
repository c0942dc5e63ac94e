import { expect, islandsAwake, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { register } from './accounts';

// The same walk runs twice: with JavaScript (pages are plain links and
// form posts either way; only the islands come alive) and without.
test('a learner registers, enrolls, reads past a content note, passes a quiz and sees progress', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const email = `learner-${testInfo.project.name}-${Date.now()}@example.org`;

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Courses for peer support facilitators');
  await expect(page.getByRole('link', { name: 'Quick exit' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Create an account' }).first().click();
  await expect(page).toHaveURL(/\/register$/);
  await expectAccessible(page);
  await page.getByLabel('Your name').fill('Ana María Muñoz');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByText('Welcome back, Ana María Muñoz.')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/courses/demo-course');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/demo-course\/listening$/);
  await expect(page.getByRole('heading', { name: 'Content note' })).toBeVisible();
  await expect(page.getByText('UNIQUE-BODY-MARKER-ONE')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Continue to the module' }).click();
  await expect(page.getByText('UNIQUE-BODY-MARKER-ONE')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Take the quiz' }).click();
  await expect(page).toHaveURL(/\/listening\/quiz$/);
  await expectAccessible(page);
  await page.getByLabel('Wait quietly and let them choose').check();
  for (const habit of ['Eye contact if welcome', 'Reflecting back', 'Open questions']) {
    await page.getByLabel(habit).check();
  }
  await page.getByLabel('False').check();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+$/);
  await expect(page.getByText('You scored 100% and passed (the pass mark is 80%).')).toBeVisible();
  await expect(page.getByText('WHY-WAIT: silence gives them room to decide.')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/me');
  await expect(page.getByText('1 of 2 quizzes passed')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Continue: Listening well' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();

  expect(scriptErrors).toEqual([]);
});

test('an unanswered question keeps the answers given', async ({ page }, testInfo) => {
  await register(page, 'Sam', `sam-${testInfo.project.name}-${Date.now()}@example.org`);
  await page.goto('/courses/demo-course');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  // Wait for the enrollment to land: going on at once can cancel it with JavaScript on.
  await expect(page).toHaveURL(/\/courses\/demo-course\/listening$/);
  await page.goto('/courses/demo-course/listening/quiz');
  await page.getByLabel('Wait quietly and let them choose').check();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByText('There is no answer yet for questions 2 and 3.')).toBeVisible();
  await expect(page.getByLabel('Wait quietly and let them choose')).toBeChecked();
  await expectAccessible(page);
});

test('the quick exit leaves at once for a neutral page', async ({ page }, testInfo) => {
  await page.route('https://www.bbc.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
  await page.goto('/login');
  await page.goto('/');
  await islandsAwake(page);
  await page.getByRole('link', { name: 'Quick exit' }).click();
  await expect(page).toHaveURL('https://www.bbc.com/weather');
  if (testInfo.project.name === 'javascript') {
    // With JavaScript the exit replaced the page in the history: Back does not return to it.
    await page.goBack();
    await expect(page).toHaveURL(/\/login$/);
  }
});

test('the shipped course pages are accessible', async ({ page }) => {
  await page.goto('/courses/foundations-of-peer-support');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Foundations of peer support');
  await expectAccessible(page);
  await page.goto('/login');
  await expectAccessible(page);
});

test('a failed attempt keeps the answer key, and the pass that follows shows every reason', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  await register(page, 'Kim', `kim-${testInfo.project.name}-${Date.now()}@example.org`);
  await page.goto('/courses/demo-course');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/demo-course\/listening$/);

  await page.goto('/courses/demo-course/listening/quiz');
  for (const wrong of ['Ask for more details', 'Interrupting to help', 'True']) {
    await page.getByLabel(wrong).check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+$/);
  await expect(page.getByText("so this quiz isn't passed yet")).toBeVisible();
  // The reasoning for what was chosen, never the key: not the right option's reason.
  await expect(page.getByText('WHY-DETAILS: probing can pressure them.')).toBeVisible();
  await expect(page.getByText('WHY-WAIT')).toHaveCount(0);
  await expect(page.getByText('WHY-FALSE')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Try the quiz again' }).click();
  await expect(page).toHaveURL(/\/listening\/quiz$/);
  for (const right of ['Wait quietly and let them choose', 'Eye contact if welcome', 'Reflecting back', 'Open questions', 'False']) {
    await page.getByLabel(right).check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByText('You scored 100% and passed (the pass mark is 80%).')).toBeVisible();
  await expect(page.getByText('WHY-WAIT: silence gives them room to decide.')).toBeVisible();
  await expect(page.getByText('WHY-DETAILS: probing can pressure them.')).toBeVisible();
  await expectAccessible(page);
  expect(scriptErrors).toEqual([]);
});

// An old phone: 375 px wide. The quick exit stays in reach on every page
// without floating over the text, and every page a learner sees passes axe.
test('on a phone every learner page is accessible and the quick exit covers no text', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const exit = page.getByRole('link', { name: 'Quick exit' });
  const checkPage = async () => {
    const button = (await exit.boundingBox())!;
    const main = (await page.locator('main').boundingBox())!;
    expect(button.y + button.height, 'the quick exit sits above the text').toBeLessThanOrEqual(main.y);
    await page.mouse.wheel(0, 2000);
    await expect(exit).toBeInViewport();
    const header = (await page.locator('header.site-header').boundingBox())!;
    const scrolled = (await exit.boundingBox())!;
    expect(scrolled.y + scrolled.height, 'scrolled, it stays in the header').toBeLessThanOrEqual(header.y + header.height);
    await page.mouse.wheel(0, -4000);
    await expectAccessible(page);
  };

  await page.goto('/');
  await checkPage();
  await page.goto('/courses/foundations-of-peer-support');
  await checkPage();
  await register(page, 'Rosa', `rosa-${testInfo.project.name}-${Date.now()}@example.org`);
  await checkPage();
  await page.goto('/courses/demo-course');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/demo-course\/listening$/);
  await checkPage();
  await page.getByRole('link', { name: 'Continue to the module' }).click();
  await expect(page.getByText('UNIQUE-BODY-MARKER-ONE')).toBeVisible();
  await checkPage();
  await page.goto('/courses/demo-course/listening/quiz');
  await checkPage();
  // A question is no card inside the column: its answers get the column's width.
  const column = (await page.locator('main').boundingBox())!;
  const answer = (await page.getByLabel('Reflecting back').locator('xpath=ancestor::label').boundingBox())!;
  expect(answer.width, 'an answer spans the column').toBeGreaterThanOrEqual(column.width - 2 * 16 - 2);
  for (const answer of ['Wait quietly and let them choose', 'Eye contact if welcome', 'Reflecting back', 'Open questions', 'False']) {
    await page.getByLabel(answer).check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page).toHaveURL(/\/quiz\/attempts\/\d+$/);
  await checkPage();
  await page.goto('/me');
  await checkPage();
});
