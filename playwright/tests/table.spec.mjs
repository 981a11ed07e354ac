// The resource table: text and status filters, sorting and selection, all kept in the URL; keyboard
// movement between rows; 10,000 rows stay virtualized.
import { test, expect } from '@playwright/test';
import { dev, pod, row, watchConsole } from './helpers.mjs';

const rows = (page) => page.locator('tbody tr.lo-vrow');

test('filter, status filter and sort live in the URL and survive a reload', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/pods?namespace=demo');
  await expect(row(page, 'worker-6b7c8d9e0-pqrst')).toBeVisible();
  await page.getByLabel('Filter pods').fill('web');
  await expect(rows(page)).toHaveCount(2);
  await expect(page).toHaveURL(/q=web/);
  await page.reload();
  await expect(page.getByLabel('Filter pods')).toHaveValue('web');
  await expect(rows(page)).toHaveCount(2);
  await page.getByLabel('Filter pods').fill('app=api');
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel('Filter pods').fill('');
  await page.getByRole('group', { name: 'Status filter' }).getByRole('button', { name: /Failing/ }).click();
  await expect(row(page, 'worker-6b7c8d9e0-pqrst')).toBeVisible();
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toHaveCount(0);
  for (const status of await rows(page).locator('.lo-status').all()) {
    await expect(status).toHaveAttribute('data-tone', 'error');
  }
  await expect(page).toHaveURL(/status=error/);
  await page.getByRole('button', { name: /Failing/ }).click();
  // Sort by restarts, most first.
  await page.getByRole('button', { name: 'Restarts' }).click();
  await page.getByRole('button', { name: 'Restarts' }).click();
  await expect(page.getByRole('columnheader', { name: /Restarts/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(rows(page).first()).toHaveAttribute('data-name', 'worker-6b7c8d9e0-pqrst');
  await expect(page).toHaveURL(/sort=-2/);
  await page.reload();
  await expect(rows(page).first()).toHaveAttribute('data-name', 'worker-6b7c8d9e0-pqrst');
  console.check();
});

test('a filtered row appears and leaves as the cluster changes', async ({ page, request }) => {
  await page.goto('/pods?namespace=demo&q=e2e-filter');
  await expect(page.getByText('No pods match the filter.')).toBeVisible();
  const name = `e2e-filter-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await expect(rows(page)).toHaveCount(1);
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  await expect(rows(page)).toHaveCount(0);
});

test('selection counts rows; arrow keys move between rows; / focuses the filter', async ({ page }) => {
  await page.goto('/pods?namespace=demo');
  await expect(rows(page)).toHaveCount(6);
  await page.getByLabel('Select all shown').check();
  await expect(page.locator('.lo-selected')).toHaveText('6 selected');
  await page.getByLabel('Select cache-0').uncheck();
  await expect(page.locator('.lo-selected')).toHaveText('5 selected');
  await row(page, 'api-5c8d7b9f4-klmno').getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'cache-0').getByRole('link', { name: 'cache-0' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(row(page, 'api-5c8d7b9f4-klmno').getByRole('link', { name: 'api-5c8d7b9f4-klmno' })).toBeFocused();
  await page.locator('body').click();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Filter pods')).toBeFocused();
});

test('10,000 rows: only the visible ones exist, scrolling reaches the last', async ({ page }) => {
  await page.goto('/stories/pod-table/huge');
  await expect(page.locator('.lo-count')).toHaveText('10000');
  expect(await rows(page).count()).toBeLessThan(80);
  await page.locator('.lo-vscroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(row(page, 'pod-09999')).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(80);
  await expect(page.locator('table')).toHaveAttribute('aria-rowcount', '10001');
});
