// Navigating from a pod to its live log: follow, pause, search with highlight, timestamps,
// container picker, and a pod that has no log yet.
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.mjs';

const lines = (page) => page.locator('.lo-log__line');

test('download saves the buffered lines as a file', async ({ page }) => {
  await page.goto('/logs?namespace=demo&pod=api-5c8d7b9f4-klmno');
  await expect(lines(page).first()).toContainText('api: handled request');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('api-5c8d7b9f4-klmno-api.log');
  const text = await (await download.createReadStream()).toArray();
  expect(Buffer.concat(text).toString()).toContain('api: handled request');
});

test('a pod link opens its live log; pause, search and timestamps work', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/pods?namespace=demo');
  await page.locator('tr[data-name="api-5c8d7b9f4-klmno"]').getByRole('link', { name: 'Logs' }).click();
  await expect(page).toHaveURL(/\/logs\?namespace=demo&pod=api-5c8d7b9f4-klmno/);
  await expect(lines(page).first()).toContainText('api: handled request');
  const before = await lines(page).count();
  await expect.poll(() => lines(page).count(), { timeout: 5_000 }).toBeGreaterThan(before);

  await page.getByRole('button', { name: 'Pause' }).click();
  const paused = await lines(page).count();
  await page.waitForTimeout(1_500);
  expect(await lines(page).count()).toBe(paused);
  await page.getByRole('button', { name: 'Follow' }).click();
  await expect.poll(() => lines(page).count(), { timeout: 5_000 }).toBeGreaterThan(paused);

  await page.getByLabel('Search').fill('warn');
  await expect(lines(page).first()).toContainText('WARN');
  const shown = await lines(page).allInnerTexts();
  expect(shown.every((l) => l.includes('WARN'))).toBeTruthy();
  await expect(page.locator('.lo-log__line mark').first()).toHaveText('WARN');
  await page.getByLabel('Search').fill('');

  await page.getByLabel('Timestamps').check();
  await expect(lines(page).first()).toHaveText(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z /);
  console.check();
});

test('pods with several containers get a picker; a pod not yet on a node has no log', async ({ page }) => {
  await page.goto('/?page=logs&namespace=demo&pod=web-7d9f8c6b5-abcde');
  await expect(page.getByLabel('Container', { exact: true })).toBeVisible();
  await expect(lines(page).first()).toContainText('web: handled request');
  await page.getByLabel('Container', { exact: true }).selectOption('envoy');
  await expect(lines(page).first()).toContainText('envoy: handled request');

  await page.goto('/?page=logs&namespace=demo&pod=cache-0');
  await expect(page.getByRole('status').filter({ hasText: 'The log ended' })).toBeVisible();
});

test('the log buffer keeps the newest lines and says how many it dropped', async ({ page }) => {
  await page.goto('/?page=logs&namespace=demo&pod=api-5c8d7b9f4-klmno&lines=20');
  // 50 lines of history arrive at once: 20 are kept.
  await expect(page.locator('.lo-log__count')).toContainText('20 lines');
  await expect(page.locator('.lo-log__count')).toContainText(/\d+ older lines dropped/);
  await expect(lines(page)).toHaveCount(20);
  await expect(lines(page).last()).toContainText('handled request');
  await page.getByLabel('Wrap lines').uncheck();
  await expect(page.locator('.lo-log__lines')).toHaveAttribute('data-wrap', 'false');
});

test('the previous container instance shows how it crashed; a container that never restarted says so', async ({ page }) => {
  await page.goto('/?page=logs&namespace=demo&pod=worker-6b7c8d9e0-pqrst');
  await expect(lines(page).first()).toContainText('worker: handled request');
  await page.getByLabel('Previous container').check();
  await expect(lines(page).last()).toContainText('FATAL worker: cannot connect to the database');
  await expect(page.getByRole('status').filter({ hasText: "End of the previous container's log." })).toBeVisible();

  await page.goto('/?page=logs&namespace=demo&pod=web-7d9f8c6b5-abcde');
  await page.getByLabel('Previous container').check();
  await expect(page.getByRole('status').filter({ hasText: 'previous terminated container "web"' })).toBeVisible();
});
