import { expect, islandsAwake, test } from './fixtures';
import { expectAccessible } from './accessibility';
import { addUser, logIn } from './accounts';

// A trainer writes a course with one module and one question in the editor
// and publishes it, with JavaScript (the preview follows the typing) and
// without ("Save and preview"); every form posts and the page comes back.
test('a trainer writes a module and a quiz and publishes them', async ({ page }, testInfo) => {
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  const javaScript = testInfo.project.name === 'javascript';
  const run = `${testInfo.project.name}-${Date.now()}`;
  const email = `trainer-${run}@example.org`;
  const slug = `grounding-${run}`.toLowerCase();
  addUser(email, 'Tess Trainer', 'trainer');

  await logIn(page, email);
  await page.getByRole('link', { name: 'Teach' }).click();
  await expect(page.getByRole('heading', { name: 'Teach', level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.locator('#new-title').fill('Grounding skills');
  await page.locator('#new-slug').fill(slug);
  await page.getByRole('button', { name: 'Create the course' }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/${slug}$`));
  await expect(page.getByText('things to finish before publishing')).toBeVisible();

  await page.locator('#course-summary').fill('Simple ways to help a group settle.');
  await page.locator('#course-outcomes').fill('Lead a grounding exercise');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.locator('#course-summary-problem')).toHaveCount(0);

  await page.locator('#module-title').fill('Five senses');
  await page.locator('#module-slug').fill('five-senses');
  await page.getByRole('button', { name: 'Add the module' }).click();
  await expect(page).toHaveURL(new RegExp(`/teach/${slug}/modules/five-senses$`));
  await expect(page.locator('#module-body-problem')).toHaveText('the module has no text');

  await islandsAwake(page);
  await page.locator('#module-body').fill('## Name what you notice\n\nName five things you can **see**.');
  const preview = page.locator('.preview');
  if (javaScript) {
    // The preview follows the typing, before anything is saved.
    await expect(preview.getByRole('heading', { name: 'Name what you notice' })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(preview.locator('strong')).toHaveText('see');
  await expect(page.locator('#module-body-problem')).toHaveCount(0);

  await page.locator('#new-question-kind').selectOption('single');
  await page.getByRole('button', { name: 'Add a question' }).click();
  await expect(page.locator('#q0-prompt-problem')).toHaveText('prompt is empty');
  await page.locator('#q0-prompt').fill('What is grounding for?');
  await page.locator('#q0-o0-text').fill('Coming back to the present');
  await page.locator('input[name="options[0][correct]"]').check();
  await page.locator('#q0-o0-why').fill('It helps a person notice they are here and now.');
  await page.locator('#q0-o1-text').fill('Solving the problem that upset them');
  await page.locator('#q0-o1-why').fill('Grounding steadies first; problem-solving can wait.');
  await page.getByRole('button', { name: 'Save question 1' }).click();
  await expect(page.locator('.field-problem')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Grounding skills' }).click();
  await expect(page.getByText('things to finish before publishing')).toHaveCount(0);
  await page.locator('#publish-version').fill('1.0.0');
  await page.locator('#publish-summary').fill('First version.');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText('Learners see version 1.0.0')).toBeVisible();
  await expectAccessible(page);

  await page.goto(`/courses/${slug}`);
  await expect(page.getByRole('heading', { name: 'Grounding skills' })).toBeVisible();
  expect(scriptErrors).toEqual([]);
});
