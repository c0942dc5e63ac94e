import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

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

/**
 * The link to a path starting with `prefix` in the newest message to
 * `email`, read from the `.eml` files the test server writes (it runs
 * without an SMTP server).
 */
export async function mailedLink(email: string, prefix: string): Promise<string> {
  const dir = join(process.env.HOLDSPACE_E2E_DATA_DIR!, 'mail');
  for (let waited = 0; waited < 20_000; waited += 200) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse() : [];
    for (const file of files) {
      // Undo quoted-printable: soft line breaks and =XX escapes.
      const text = readFileSync(join(dir, file), 'utf8')
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      if (!text.includes(`To: ${email}`)) continue;
      const match = text.match(new RegExp(`https?://[^\\s]*(${prefix}[^\\s]+)`));
      if (match) return match[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${prefix} link mailed to ${email}`);
}

/** Creates an account through the registration form, as a visitor would; ends on the dashboard. */
export async function register(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/me$/);
}
