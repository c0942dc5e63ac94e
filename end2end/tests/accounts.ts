import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The password every test account gets. */
export const PASSWORD = 'a long enough password';

/** An account made with the CLI, as the operator would, on the test server's database. */
export function addUser(email: string, name: string, role: 'learner' | 'trainer' | 'org_admin' | 'admin'): void {
  execFileSync(
    join(root, 'target/release/holdspace'),
    ['user', 'add', '--email', email, '--name', name, '--role', role, '--data-dir', process.env.HOLDSPACE_E2E_DATA_DIR!],
    { input: `${PASSWORD}\n` },
  );
}

export async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/me$/);
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
}
