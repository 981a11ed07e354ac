// The widgets on a GitLab-style host page (another origin than the KAS), with the GitLab session:
// both elements render (each from its own bundle), re-target on attribute changes, report DOM events, open a details drawer,
// close their watches when removed, and explain an expired session or a forbidden agent.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const openWatches = async (request) => (await dev(request, 'stats')).openWatches;

test('both widgets render live with the GitLab session, cross-origin', async ({ page, request }) => {
  const console = watchConsole(page);
  await page.goto('/embed-demo.html');
  // The host page is GitLab's stand-in: not the KAS's origin.
  expect(new URL(page.url()).origin).not.toBe(new URL(process.env.LOOKOUT_URL).origin);
  await expect(page.locator('#flux-status')).toHaveAttribute('data-state', 'reconciled');
  await expect(page.locator('#flux-status .lo-status')).toHaveText('Reconciled');
  await expect(page.locator('#flux-status .lo-sync__rev')).toHaveText(/^main@sha1:[0-9a-f]{8}$/);
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="worker-6b7c8d9e0-pqrst"]')).toContainText('CrashLoopBackOff');
  await expect(env.locator('.lo-card[data-kind="Deployments"] [data-health="ready"]')).toHaveText('2 ready');
  await expect(env.locator('tr[data-name="web"]')).toContainText('80/TCP');
  await expect(page.locator('#mounted .lo-status')).toHaveText('Reconciled');
  // The events the host can listen to.
  await expect(page.locator('#events')).toContainText('lookout-status flux-status: {"state":"reconciled"');
  // Host styles stay out, ours stay in.
  expect(await page.locator('#environment').evaluate((el) => !!el.shadowRoot?.querySelector('style'))).toBe(true);
  console.check();
});

test('<lookout-flux-status> needs only its own bundle and one watch request of the named object', async ({ page }) => {
  // The environment bundle never arrives: the badge does not depend on it.
  await page.route('**/embed/lookout-embed*', (route) => route.abort());
  const api = [];
  page.on('request', (r) => {
    if (r.url().includes('/k8s-proxy/')) api.push(decodeURIComponent(r.url()));
  });
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await expect(status.locator('.lo-status')).toHaveText('Reconciled');
  await expect(page.locator('#events')).toContainText('lookout-status flux-status: {"state":"reconciled"');
  // The source's URL (one GET of the GitRepository) makes the revision a commit link.
  await expect(status.locator('a.lo-sync__rev')).toHaveAttribute('href', /^https:\/\/gitlab\.example\.com\/platform\/fleet\/-\/commit\/[0-9a-f]{40}$/);
  // First the watch of that one object (no discovery, no WebSocket), then its source.
  expect(api[0]).toMatch(/\/kustomizations\?.*fieldSelector=metadata\.name=apps/);
  expect(api[0]).toContain('/namespaces/flux-system/');
  expect(api.slice(1).every((u) => /\/gitrepositories\/[^/?]+$/.test(u))).toBe(true);
  expect(await page.locator('#environment tr').count()).toBe(0);
  // Its own styles: the badge's tone, in the theme the attribute names.
  const badge = () => status.locator('.lo-status').evaluate((el) => getComputedStyle(el).backgroundColor);
  const requests = api.length;
  await status.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(badge).toBe('rgb(236, 244, 238)');
  await status.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(badge).toBe('rgb(13, 42, 24)');
  // A new theme recolours the badge; setting an attribute to its value changes nothing: the
  // watch stays, no request is made again.
  await status.evaluate((el) => el.setAttribute('flux-resource', el.getAttribute('flux-resource')));
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  expect(api.length).toBe(requests);
});

test('a pod opens in the drawer with its events and live log', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  await env.getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).click();
  const drawer = env.getByRole('dialog', { name: 'Pod demo/api-5c8d7b9f4-klmno' });
  await expect(drawer).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/embed-demo.html');
  await drawer.getByRole('tab', { name: 'Logs' }).click();
  await expect(drawer.locator('.lo-log__line').first()).toContainText('api: handled request');
  await drawer.getByRole('tab', { name: 'YAML' }).click();
  await expect(drawer.getByLabel('YAML')).toContainText('name: api-5c8d7b9f4-klmno');
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toHaveCount(0);
});

test('changing an attribute re-targets the widget', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="web-7d9f8c6b5-abcde"]')).toBeVisible();
  await env.evaluate((el) => el.setAttribute('namespace', 'kube-system'));
  await expect(env.locator('tr[data-name="coredns-5d78c9869d-x2x4q"]')).toBeVisible();
  await expect(env.locator('tr[data-name="web-7d9f8c6b5-abcde"]')).toHaveCount(0);
  const status = page.locator('#flux-status');
  await status.evaluate((el) => el.setAttribute('flux-resource', 'helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases/podinfo'));
  await expect(status.locator('.lo-sync__rev')).toHaveText(/^podinfo@/);
  // The theme attribute overrides the system's preference.
  const background = () => env.locator('.lo-widget__body').evaluate((el) => getComputedStyle(el).backgroundColor);
  await env.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(background).toBe('rgb(24, 23, 29)');
  await env.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(background).toBe('rgb(255, 255, 255)');
});

test('removing the widgets closes every watch', async ({ page, request }) => {
  await page.goto('/embed-demo.html');
  await expect(page.locator('#environment tr[data-name="web-7d9f8c6b5-abcde"]')).toBeVisible();
  await expect.poll(() => openWatches(request)).toBeGreaterThan(5);
  await page.evaluate(() => {
    document.getElementById('environment').remove();
    document.getElementById('flux-status').remove();
    window.lookoutMounted.unmount();
  });
  await expect.poll(() => openWatches(request)).toBe(0);
});

test('an expired session shows a sign-in message, not a blank widget', async ({ page }) => {
  await page.goto('/embed-demo.html?session=expired');
  const panel = page.locator('#flux-status').getByRole('alert');
  await expect(panel).toContainText('Signed out', { timeout: 15_000 });
  await expect(panel).toContainText('Sign in to GitLab again');
  await expect(page.locator('#events')).toContainText('lookout-error flux-status: {"kind":"Signed out"');
});

test('an agent not shared with the user is refused as KAS does (401, Gitlab-Unauthorized)', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await status.evaluate((el) => el.setAttribute('agent-id', '3'));
  const panel = status.getByRole('alert');
  await expect(panel).toContainText('Signed out', { timeout: 15_000 });
  await expect(panel).toContainText('the agent is not shared with you');
  await expect(panel).toContainText('GitLab refused the credentials');
});

test('a malformed flux-resource is said in the widget and reported to the host page', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await status.evaluate((el) => el.setAttribute('flux-resource', 'not-a-resource'));
  await expect(status.getByRole('alert')).toBeVisible();
  await expect(page.locator('#events')).toContainText('lookout-error flux-status: {"kind":"Settings"');
});
