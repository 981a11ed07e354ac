// Screenshots of the overview, the Flux page, a crash-looping pod and a Kustomization at 1400 and
// 900 px wide, light and dark; each page is also checked for horizontal overflow (nothing may be
// wider than the window at either width). Viewport shots (not the full page) keep them small.
// They go to test-results/screenshots/; to refresh the committed ones:
//   LOOKOUT_SCREENSHOTS=../docs/screenshots npx playwright test tests/screenshots.spec.mjs
import { test, expect } from '@playwright/test';

const OUT = process.env.LOOKOUT_SCREENSHOTS || 'test-results/screenshots';

const PAGES = [
  { name: 'overview', url: '/', ready: (page) => page.locator('.lo-attention__item').first() },
  { name: 'flux', url: '/flux', ready: (page) => page.locator('tr[data-kind="Kustomization"][data-name="apps"]') },
  { name: 'pod-crashloop', url: '/r/core/v1/Pod/demo/worker-6b7c8d9e0-pqrst', ready: (page) => page.locator('.lo-container').first() },
  { name: 'kustomization', url: '/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps', ready: (page) => page.getByRole('list', { name: 'Reconciliation timeline' }).locator('li').first() },
];

for (const width of [1400, 900]) {
  for (const scheme of ['light', 'dark']) {
    test(`screenshots at ${width} px, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const p of PAGES) {
        await page.goto(p.url);
        await expect(p.ready(page)).toBeVisible();
        // Let the first frames of live data settle.
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${p.name} at ${width} px overflows by ${overflow} px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${OUT}/${p.name}-${width}-${scheme}.png` });
      }
    });
  }
}
