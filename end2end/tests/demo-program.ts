import { expect, type Page } from '@playwright/test';

/**
 * The signed-in learner enrolls in the test course and passes both its
 * quizzes, which completes the Demo Program and issues its certificate.
 */
export async function completeDemoProgram(page: Page): Promise<void> {
  await page.goto('/courses/demo-course');
  await page.getByRole('button', { name: 'Enroll in this course' }).click();
  await expect(page).toHaveURL(/\/courses\/demo-course\/listening$/);
  await page.goto('/courses/demo-course/listening/quiz');
  for (const answer of ['Wait quietly and let them choose', 'Eye contact if welcome', 'Reflecting back', 'Open questions', 'False']) {
    await page.getByLabel(answer).check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByText('You scored 100% and passed')).toBeVisible();
  await page.goto('/courses/demo-course/closing/quiz');
  await page.getByLabel('A short check-out round').check();
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByText('You scored 100% and passed')).toBeVisible();
}
