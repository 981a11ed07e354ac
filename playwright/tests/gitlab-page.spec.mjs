// The widgets under GitLab's own page rules, on the GitLab stand-in's environment page: its
// Content-Security-Policy (nonce'd scripts with 'strict-dynamic', connect-src limited to the KAS)
// without a single violation, and its dark mode (the gl-dark class and Pajamas' CSS variables).
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.mjs';

/** Records every CSP violation the page reports, from before its first script runs. */
async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return () => page.evaluate(() => window.__violations);
}

test('the widgets load and work under GitLab\'s Content-Security-Policy without a violation', async ({ page }) => {
  const violations = await recordViolations(page);
  const console = watchConsole(page);
  const answer = await page.goto('/embed-demo.html');
  const csp = answer.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'strict-dynamic' 'self' 'unsafe-eval' 'nonce-[0-9a-f]{32}'/);
  expect(csp).toContain(`connect-src 'self' ${process.env.LOOKOUT_URL} ${process.env.LOOKOUT_URL.replace(/^http/, 'ws')};`);
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  // Every widget shows its data: both bundles' wasm compiled and their requests went out.
  await expect(page.locator('#flux-status')).toHaveAttribute('data-state', 'reconciled');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="worker-6b7c8d9e0-pqrst"]')).toContainText('CrashLoopBackOff');
  // (The living demo's HelmRelease fails and recovers in turns: any known state is data.)
  await expect(page.locator('#mounted .lo-status')).toHaveAttribute('data-tone', /^(ok|progress|error)$/);
  // What loads behind a click (the details drawer, its logs and YAML) works too.
  await env.getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).click();
  const drawer = env.getByRole('dialog', { name: 'Pod demo/api-5c8d7b9f4-klmno' });
  await drawer.getByRole('tab', { name: 'Logs' }).click();
  await expect(drawer.locator('.lo-log__line').first()).toContainText('api: handled request');
  await drawer.getByRole('tab', { name: 'YAML' }).click();
  await expect(drawer.getByLabel('YAML')).toContainText('name: api-5c8d7b9f4-klmno');
  // And GitLab's dark mode switch (the page's own nonce'd script).
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await expect(page.locator('html')).toHaveClass(/gl-dark/);
  expect(await violations()).toEqual([]);
  console.check();

  // The policy is enforced and the recorder hears it: a request to another origin than the KAS's
  // is refused.
  const refused = await page.evaluate(() => fetch('http://127.0.0.1:9/').then(() => false, () => true));
  expect(refused).toBe(true);
  await expect.poll(violations).toEqual([expect.stringMatching(/^connect-src blocked http:\/\/127\.0\.0\.1:9\//)]);
});

/** The computed colours of an element inside a widget's shadow root. */
const colours = (locator) =>
  locator.evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor, scheme: s.colorScheme, size: s.fontSize };
  });

test('the widgets follow GitLab\'s dark mode and Pajamas\' colours live, the theme attribute first', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="web"]')).toBeVisible();
  const badge = status.locator('.lo-status');
  const body = env.locator('.lo-widget__body');
  // GitLab light: Pajamas' text sizes and the page's own status and text colours.
  expect(await colours(badge)).toEqual({ color: 'rgb(36, 102, 59)', background: 'rgb(195, 230, 205)', scheme: 'light', size: '12px' });
  expect(await colours(body)).toEqual({ color: 'rgb(58, 56, 63)', background: 'rgb(255, 255, 255)', scheme: 'light', size: '14px' });
  // gl-dark on <html>: the widgets turn dark at once, without a reload.
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await expect.poll(() => colours(badge)).toEqual({ color: 'rgb(145, 212, 168)', background: 'rgb(13, 83, 42)', scheme: 'dark', size: '12px' });
  await expect.poll(() => colours(body)).toEqual({ color: 'rgb(236, 236, 239)', background: 'rgb(24, 23, 29)', scheme: 'dark', size: '14px' });
  // And back.
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await expect.poll(() => colours(body)).toMatchObject({ background: 'rgb(255, 255, 255)', scheme: 'light' });
  // A theme the host names wins over the page's mode.
  await status.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(() => colours(badge)).toMatchObject({ scheme: 'dark' });
  await page.getByRole('button', { name: 'Dark mode' }).click();
  await status.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(() => colours(badge)).toMatchObject({ scheme: 'light' });
  console.check();
});
