// Every story renders without a console error, hostile strings stay text, and each gets a
// screenshot (kept as a CI artifact under test-results/stories, not compared).
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.mjs';

test('every story renders cleanly', async ({ page }) => {
  await page.goto('/stories');
  const hrefs = await page.locator('a.lo-story-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThanOrEqual(20);
  for (const href of hrefs) {
    const console = watchConsole(page);
    await page.goto(href);
    const id = href.replace('/stories/', '');
    await expect(page.locator(`.lo-story[data-story="${id}"]`)).toBeVisible();
    expect(await page.evaluate(() => window.__pwned), `${id} ran injected script`).toBeUndefined();
    await expect(page.locator('.lo-story img, .lo-story script')).toHaveCount(0);
    await page.screenshot({ path: `test-results/stories/${id.replace('/', '--')}.png`, fullPage: false });
    console.check();
    page.removeAllListeners('console');
    page.removeAllListeners('pageerror');
  }
});

test('story states show what they claim', async ({ page }) => {
  await page.goto('/stories/pod-table/problems');
  await expect(page.locator('tr[data-name="worker-1"]')).toContainText('CrashLoopBackOff');
  await expect(page.locator('tr[data-name="web-3"]')).toContainText('Terminating');
  await page.goto('/stories/flux-table/mixed');
  await expect(page.locator('tbody tr').first()).toHaveAttribute('data-name', 'payments');
  await expect(page.locator('tr[data-name="legacy"]')).toHaveAttribute('data-state', 'suspended');
  await page.goto('/stories/conditions-table/failing');
  await expect(page.locator('tr[data-type="Ready"] .lo-status')).toHaveAttribute('data-tone', 'error');
  await expect(page.locator('tr[data-type="Reconciling"] .lo-status')).toHaveAttribute('data-tone', 'progress');
  await page.goto('/stories/labels/overflow');
  await expect(page.locator('.lo-label')).toHaveCount(4);
  await page.getByRole('button', { name: '+8 more' }).click();
  await expect(page.locator('.lo-label')).toHaveCount(12);
  await page.goto('/stories/relative-time/recent');
  await expect(page.locator('time')).toHaveText('71s ago');
  await expect(page.locator('time')).toHaveAttribute('title', '2026-11-25T05:37:00Z');
  await page.goto('/stories/connection-status/forbidden');
  await expect(page.locator('.lo-conn')).toContainText('cannot watch resource "pods"');
});
