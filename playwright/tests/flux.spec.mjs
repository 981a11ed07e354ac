// The Flux page follows the living demo: states, problems first, reconcile and suspend/resume.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const fluxRow = (page, kind, name) => page.locator(`tr[data-kind="${kind}"][data-name="${name}"]`);

test('shows every Flux kind with its state, source and revision', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/?page=flux');
  await expect(fluxRow(page, 'Kustomization', 'apps')).toBeVisible();
  await expect(fluxRow(page, 'Kustomization', 'apps')).toContainText('GitRepository/flux-system');
  await expect(fluxRow(page, 'Kustomization', 'apps')).toContainText(/main@sha1:[0-9a-f]{40}/);
  await expect(fluxRow(page, 'HelmRelease', 'redis')).toHaveAttribute('data-state', 'suspended');
  await expect(fluxRow(page, 'HelmRelease', 'redis').getByRole('button', { name: 'Reconcile' })).toBeDisabled();
  for (const [kind, name] of [['GitRepository', 'flux-system'], ['OCIRepository', 'podinfo-manifests'], ['HelmRepository', 'podinfo'], ['HelmChart', 'podinfo-podinfo']]) {
    await expect(fluxRow(page, kind, name)).toBeVisible();
  }
  console.check();
});

test('grouped by kind, filtered by namespace, text and status, all in the URL', async ({ page }) => {
  await page.goto('/flux');
  await expect(fluxRow(page, 'Kustomization', 'apps')).toBeVisible();
  await expect(page.locator('tr.lo-group')).toHaveCount(6);
  await page.getByRole('group', { name: 'Status filter' }).getByRole('button', { name: /Suspended/ }).click();
  await expect(page.locator('tbody tr[data-name]')).toHaveCount(1);
  await expect(fluxRow(page, 'HelmRelease', 'redis')).toBeVisible();
  await expect(page).toHaveURL(/status=paused/);
  await page.getByRole('button', { name: /Suspended/ }).click();
  await page.getByLabel('Filter Flux objects').fill('podinfo');
  await expect(fluxRow(page, 'Kustomization', 'apps')).toHaveCount(0);
  await expect(fluxRow(page, 'HelmRelease', 'podinfo')).toBeVisible();
  await page.getByLabel('Filter Flux objects').fill('');
  await page.getByLabel('Namespace').selectOption('podinfo');
  await expect(page).toHaveURL(/namespace=podinfo/);
  await expect(fluxRow(page, 'Kustomization', 'apps')).toHaveCount(0);
  await expect(fluxRow(page, 'HelmRelease', 'podinfo')).toBeVisible();
  await page.reload();
  await expect(fluxRow(page, 'HelmRelease', 'podinfo')).toBeVisible();
  await expect(fluxRow(page, 'Kustomization', 'apps')).toHaveCount(0);
  // Names lead to the object's page.
  await fluxRow(page, 'HelmRelease', 'podinfo').getByRole('link', { name: 'podinfo' }).click();
  await expect(page).toHaveURL(/\/r\/helm.toolkit.fluxcd.io\/v2\/HelmRelease\/podinfo\/podinfo/);
});

test('reconcile goes progressing then ready; suspend and resume', async ({ page }) => {
  await page.goto('/?page=flux');
  const apps = fluxRow(page, 'Kustomization', 'apps');
  await expect(apps).toHaveAttribute('data-state', 'ready');
  await apps.getByRole('button', { name: 'Reconcile' }).click();
  await expect(apps).toHaveAttribute('data-state', 'progressing');
  await expect(apps).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });

  const infra = fluxRow(page, 'Kustomization', 'infrastructure');
  await infra.getByRole('button', { name: 'Suspend' }).click();
  await expect(infra).toHaveAttribute('data-state', 'suspended');
  await infra.getByRole('button', { name: 'Resume' }).click();
  await expect(infra).not.toHaveAttribute('data-state', 'suspended');
  await expect(infra).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });
});

test('a failing HelmRelease comes first and recovers', async ({ page, request }) => {
  const { storySeconds } = await dev(request, 'clock', { paused: true });
  try {
    await page.goto('/?page=flux');
    await expect(fluxRow(page, 'HelmRelease', 'podinfo')).toBeVisible();
    // The podinfo upgrade fails 23 s into every story minute and recovers at 35 s.
    await dev(request, 'clock', { advance: ((23 - (storySeconds % 60)) + 60) % 60 || 60 });
    const podinfo = fluxRow(page, 'HelmRelease', 'podinfo');
    await expect(podinfo).toHaveAttribute('data-state', 'failing');
    await expect(podinfo).toContainText('Helm upgrade failed');
    // The kind with the worst problem comes first, and within it the failing object.
    await expect(page.locator('tbody tr[data-name]').first()).toHaveAttribute('data-name', 'podinfo');
    await expect(page.locator('tbody tr.lo-group').first()).toContainText('HelmRelease');
    await dev(request, 'clock', { advance: 12 });
    await expect(podinfo).toHaveAttribute('data-state', 'ready');
  } finally {
    await dev(request, 'clock', { paused: false });
  }
});

test('over plain HTTP a page never holds more than its budget of watch streams', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  await expect.poll(async () => (await stats()).openWatches).toBe(0);
  await page.goto('/?page=flux&transport=http');
  await expect(fluxRow(page, 'Kustomization', 'apps')).toBeVisible();
  // Six Flux kinds want six streams; four run, the rest wait (a connection stays free for
  // requests and one for a log stream), and actions still go through.
  for (let i = 0; i < 5; i++) {
    expect((await stats()).httpWatches).toBeLessThanOrEqual(4);
    await page.waitForTimeout(200);
  }
  await expect.poll(async () => (await stats()).httpWatches).toBe(4);
  const apps = fluxRow(page, 'Kustomization', 'apps');
  await apps.getByRole('button', { name: 'Reconcile' }).click();
  await expect(apps).toHaveAttribute('data-state', 'progressing');
  await page.goto('about:blank');
  await expect.poll(async () => (await stats()).httpWatches).toBe(0);
});
