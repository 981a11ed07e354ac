// Playwright runs Debian's Chromium (never a downloaded browser) against a lookout-dev that
// scripts/test starts on a free port and passes in as LOOKOUT_URL.
import { defineConfig } from '@playwright/test';

const baseURL = process.env.LOOKOUT_URL;
if (!baseURL) {
  throw new Error('LOOKOUT_URL is not set: run the suite through scripts/test, which starts lookout-dev');
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    headless: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'debian-chromium', use: { browserName: 'chromium' } }],
});
