// Lookout on a cluster it did not make: a user who may only read one namespace (agent 4, the
// demo cluster seen as `gitlab:user:demo`, reader of flux-system), kinds it cannot list, actions
// it may not perform, and pages with more kinds than the HTTP watch budget.
import { test, expect } from '@playwright/test';
import { dev, row } from './helpers.mjs';

const fluxRow = (page, kind, name) => page.locator(`tr[data-kind="${kind}"][data-name="${name}"]`);
const note = (page, gap, kind) => page.locator(`.lo-coverage__note[data-gap="${gap}"][data-kind="${kind}"]`);

test('the overview names the kinds it may not read, with the reason, and claims nothing', async ({ page }) => {
  await page.goto('/?agent=4');
  await expect(note(page, 'unreadable', 'Kustomizations')).toContainText(
    'User "gitlab:user:demo" cannot list resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" at the cluster scope');
  await expect(note(page, 'unreadable', 'HelmRepositories')).toBeVisible();
  await expect(note(page, 'unreadable', 'Deployments')).toBeVisible();
  await expect(page.getByText('Every Flux object is ready or suspended.')).toHaveCount(0);
  // Naming the namespace the user can read shows it, and says it is only that namespace.
  await page.getByLabel('Namespaces you can read').first().fill('flux-system');
  await page.getByRole('button', { name: 'Show these namespaces' }).first().click();
  await expect(page).toHaveURL(/namespaces=flux-system/);
  await expect(note(page, 'narrowed', 'Kustomizations')).toContainText('showing flux-system only');
  await expect(page.locator('.lo-flux-cards li').first()).toBeVisible();
  await expect(note(page, 'unreadable', 'Kustomizations')).toHaveCount(0);
  await expect(page.getByText('Every Flux object is ready or suspended.')).toHaveCount(0);
});

test('a reader of one namespace uses /flux there; actions it may not perform are disabled with the reason', async ({ page }) => {
  await page.goto('/flux?agent=4&namespace=flux-system');
  const apps = fluxRow(page, 'Kustomization', 'apps');
  await expect(apps).toBeVisible();
  await expect(fluxRow(page, 'GitRepository', 'flux-system')).toBeVisible();
  await expect(note(page, 'narrowed', 'Kustomizations')).toContainText('at the cluster scope');
  const reconcile = apps.getByRole('button', { name: 'Reconcile' });
  await expect(reconcile).toHaveAttribute('aria-disabled', 'true');
  await expect(reconcile).toHaveAttribute('title', 'You may not patch kustomizations in flux-system');
  // A click does nothing: no request, so no refusal and no reconcile.
  const patches = [];
  page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));
  await reconcile.click({ force: true });
  await page.waitForTimeout(1000);
  expect(patches).toEqual([]);
  await expect(apps.locator('[role="alert"]')).toHaveCount(0);
  await expect(apps).not.toHaveAttribute('data-state', 'progressing');
  // The same object on the unrestricted agent: allowed.
  await page.goto('/flux?namespace=flux-system');
  await expect(fluxRow(page, 'Kustomization', 'apps').getByRole('button', { name: 'Reconcile' })).not.toHaveAttribute('aria-disabled', 'true');
});

test('the detail page says which action the user may not perform', async ({ page }) => {
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps?agent=4');
  await expect(page.locator('.lo-refusal').first()).toHaveText('You may not patch kustomizations in flux-system');
  await expect(page.getByRole('button', { name: 'Suspend' })).toHaveAttribute('aria-disabled', 'true');
});

test('over plain HTTP every kind is listed at once; only the watches wait their turn', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  await expect.poll(async () => (await stats()).httpWatches).toBe(0);
  await page.goto('/flux?transport=http');
  // Six Flux kinds and the namespaces: seven collections, four watch streams.
  for (const [kind, name] of [['Kustomization', 'apps'], ['HelmRelease', 'podinfo'], ['GitRepository', 'flux-system'],
    ['OCIRepository', 'podinfo-manifests'], ['HelmRepository', 'podinfo'], ['HelmChart', 'podinfo-podinfo']]) {
    await expect(fluxRow(page, kind, name)).toBeVisible();
  }
  expect((await stats()).httpWatches).toBeLessThanOrEqual(4);
  await expect(page.locator('.lo-coverage__note[data-gap="waiting"]').first()).toContainText('live updates wait for a free connection');
  await expect(page.locator('.lo-coverage__note[data-gap="loading"]')).toHaveCount(0);
  await page.goto('about:blank');
  await expect.poll(async () => (await stats()).httpWatches).toBe(0);
});

test('first paint does not wait for a late initial-events-end bookmark', async ({ page, request }) => {
  // A real API server ends a streaming list only at etcd's next progress notification.
  await dev(request, 'faults', { kinds: ['late-initial-events-end'], rate: 1, stallMs: 8000 });
  try {
    await page.goto('/pods?transport=http');
    await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible({ timeout: 3000 });
  } finally {
    await dev(request, 'faults', { kinds: [] });
  }
});

test('every kind the cluster serves is listed by API group, each with its table', async ({ page }) => {
  await page.goto('/resources');
  const core = page.locator('.lo-kind-group[data-group="core"]');
  await expect(core.getByRole('link', { name: 'ConfigMaps' })).toBeVisible();
  // Create-only kinds (reviews) are not offered: they cannot be listed.
  await expect(page.getByRole('link', { name: 'SelfSubjectAccessReviews' })).toHaveCount(0);
  const apps = page.locator('.lo-kind-group[data-group="apps"]');
  await expect(apps).toContainText('v1');
  await apps.getByRole('link', { name: 'Deployments' }).click();
  await expect(page).toHaveURL(/\/resources\/apps\/Deployment$/);
  await expect(page.getByRole('heading', { name: 'Deployments' })).toBeVisible();
  await expect(row(page, 'source-controller')).toBeVisible();
  // A custom kind Lookout knows nothing of, served in two versions: listed once, at the
  // group's preferred version, with kstatus from its conditions.
  const widgets = page.locator('.lo-kind-group[data-group="example.com"]');
  await page.goto('/resources');
  await expect(widgets).toContainText('v1');
  await expect(widgets).not.toContainText('v1beta1');
  await widgets.getByRole('link', { name: 'Widgets' }).click();
  await expect(page).toHaveURL(/\/resources\/example\.com\/Widget$/);
  await expect(row(page, 'sprocket')).toBeVisible();
  await expect(row(page, 'gear')).toBeVisible();
  await page.goto('/resources/example.org/Nothing');
  await expect(page.getByRole('alert')).toContainText('This cluster serves no listable kind Nothing in the API group example.org.');
});

test('a kind the user may not list cluster-wide says so, and shows a namespace it can read', async ({ page }) => {
  await page.goto('/resources/apps/Deployment?agent=4');
  await expect(note(page, 'unreadable', 'Deployments')).toContainText('cannot list resource "deployments" in API group "apps" at the cluster scope');
  await page.getByLabel('Namespaces you can read').fill('flux-system');
  await page.getByRole('button', { name: 'Show these namespaces' }).click();
  await expect(row(page, 'source-controller')).toBeVisible();
  await expect(note(page, 'narrowed', 'Deployments')).toContainText('showing flux-system only');
  // The user may not list namespaces; the picker offers the ones named.
  await expect(page.locator('.lo-toolbar select option[value="flux-system"]')).toHaveCount(1);
});
