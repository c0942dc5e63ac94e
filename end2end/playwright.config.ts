import { defineConfig } from '@playwright/test';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The release server built by `cargo leptos build --release`, on a fresh
// SQLite database, with the shipped courses plus the test course whose
// answers the tests know.
const root = resolve(__dirname, '..');
// Playwright evaluates this file again in every worker process: the runner
// sets up the data directory once and the workers inherit its path, so that
// tests which create accounts with the CLI reach the server's database.
// `end2end/run` makes the directory (and removes it afterwards).
let dataDir = process.env.HOLDSPACE_E2E_DATA_DIR;
if (!dataDir) {
  dataDir = mkdtempSync(join(tmpdir(), 'holdspace-e2e-'));
  process.env.HOLDSPACE_E2E_DATA_DIR = dataDir;
}
if (!existsSync(join(dataDir, 'courses'))) {
  const courses = join(dataDir, 'courses');
  cpSync(join(root, 'courses'), courses, { recursive: true });
  cpSync(join(root, 'server/tests/fixtures/courses/demo-course'), join(courses, 'demo-course'), { recursive: true });
  // The test course's one-course program, so a test can earn a certificate quickly.
  appendFileSync(join(courses, 'programs.toml'), '\n' + readFileSync(join(root, 'server/tests/fixtures/courses/programs.toml'), 'utf8'));
}
const courses = join(dataDir, 'courses');
const port = Number(process.env.HOLDSPACE_E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'javascript', use: { javaScriptEnabled: true } },
    { name: 'no-javascript', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: `${join(root, 'target/release/holdspace')} serve --addr 127.0.0.1:${port} --data-dir ${dataDir} --courses ${courses} --site-root ${join(root, 'target/site')} --trusted-proxy 127.0.0.1`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
