// The benchmark page measures the 10,000-row table against the plain-JS baseline in the page.
import { test, expect } from '@playwright/test';

test('the benchmark page runs the table benchmark side by side', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/bench');
  await page.getByRole('button', { name: 'Run' }).click();
  const results = page.getByRole('table', { name: 'Benchmark results' });
  await expect(results).toBeVisible({ timeout: 90_000 });
  const frames = results.locator('tr[data-metric="frames painted in 10 s"] td');
  // Both tables painted frames all along (not a stalled page).
  expect(Number(await frames.nth(1).textContent())).toBeGreaterThan(200);
  expect(Number(await frames.nth(2).textContent())).toBeGreaterThan(200);
  await expect(results.locator('tr[data-metric="p95 frame time, ms"] td').nth(3)).toHaveText(/^\d+\.\d\d$/);
});
