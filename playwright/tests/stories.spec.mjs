// Every story renders without a console error, hostile strings stay text, and each gets a
// screenshot (kept as a CI artifact under test-results/stories, not compared).
import { test, expect } from '@playwright/test';
import { createRequire } from 'node:module';
import { watchConsole } from './helpers.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core (WCAG 2.1 A and AA rules) on the story; returns serious and critical violations. */
async function accessibilityProblems(page, id) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async (selector) => {
    const result = await window.axe.run(document.querySelector(selector), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, `.lo-story[data-story="${id}"]`);
  return violations;
}

test('every story renders cleanly', async ({ page }) => {
  // ~55 stories, each rendered, checked by axe-core and photographed.
  test.setTimeout(300_000);
  await page.goto('/stories');
  // The list is rendered by the wasm once it runs: wait for it before reading it.
  await page.locator('a.lo-story-link').first().waitFor();
  const hrefs = await page.locator('a.lo-story-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs.length).toBeGreaterThanOrEqual(20);
  const inaccessible = [];
  for (const href of hrefs) {
    const console = watchConsole(page);
    await page.goto(href);
    const id = href.replace('/stories/', '');
    await expect(page.locator(`.lo-story[data-story="${id}"]`)).toBeVisible();
    // Live stories: wait for the demo's data (or, for the error story, the refusal).
    if (id.endsWith('/live')) await expect(page.locator(`.lo-story[data-story="${id}"] > *`).first()).toBeVisible();
    expect(await page.evaluate(() => window.__pwned), `${id} ran injected script`).toBeUndefined();
    await expect(page.locator('.lo-story img, .lo-story script')).toHaveCount(0);
    await page.screenshot({ path: `test-results/stories/${id.replace('/', '--')}.png`, fullPage: false });
    inaccessible.push(...(await accessibilityProblems(page, id)).map((p) => `${id}: ${p}`));
    // The live error story is refused by the devserver on purpose: the browser logs the 401s.
    if (id !== 'error-panel/live') console.check();
    page.removeAllListeners('console');
    page.removeAllListeners('pageerror');
  }
  expect(inaccessible, 'serious or critical axe-core violations').toEqual([]);
});

test('live stories show the living demo', async ({ page }) => {
  await page.goto('/stories/pod-table/live');
  await expect(page.locator('tr[data-name="worker-6b7c8d9e0-pqrst"]')).toContainText('CrashLoopBackOff');
  await page.goto('/stories/flux-sync-status/live');
  await expect(page.locator('.lo-sync')).toHaveAttribute('data-state', /reconciled|reconciling/);
  await page.goto('/stories/error-panel/live');
  await expect(page.getByRole('alert')).toContainText('Signed out', { timeout: 15_000 });
});

test('story states show what they claim', async ({ page }) => {
  await page.goto('/stories/pod-table/problems');
  await expect(page.locator('tr[data-name="worker-1"]')).toContainText('CrashLoopBackOff');
  await expect(page.locator('tr[data-name="web-3"]')).toContainText('Terminating');
  await page.goto('/stories/flux-table/mixed');
  await expect(page.locator('tbody tr[data-name]').first()).toHaveAttribute('data-name', 'payments');
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

test('the storybook is its own bundle, linked from the app and back', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Lookout', exact: true })).toBeVisible();
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Stories' }).click();
  await expect(page.locator('a.lo-story-link').first()).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/stories');
  // Within the storybook, stories open without loading anything again: no new document (a mark
  // left on the window survives) and no wasm fetched again.
  const wasmBefore = wasm.length;
  await page.evaluate(() => (window.__sameDocument = true));
  await page.locator('a.lo-story-link[href="/stories/status-badge/ok"]').click();
  await expect(page.locator('.lo-story[data-story="status-badge/ok"]')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/stories/status-badge/ok');
  expect(await page.evaluate(() => window.__sameDocument), 'the story opened in the same document').toBe(true);
  expect(wasm.length, 'no wasm loaded again to open a story').toBe(wasmBefore);
  await page.getByRole('link', { name: 'App' }).click();
  await expect(page.getByRole('heading', { name: 'Lookout', exact: true })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
  // The app's wasm, then the storybook's (the app's again may come from the memory cache).
  expect(wasm.slice(0, 2)).toEqual([
    expect.stringMatching(/^\/lookout-app-[0-9a-f]+_bg\.wasm$/),
    expect.stringMatching(/^\/stories\/lookout-stories-[0-9a-f]+_bg\.wasm$/),
  ]);
});
