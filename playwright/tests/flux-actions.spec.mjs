// The Flux CLI's actions on a HelmRelease, from its page: a forced one-off upgrade (asked for
// confirmation) and a reset of its failure counters, written as `flux reconcile helmrelease
// --force` / `--reset` write them (annotations beside `reconcile.fluxcd.io/requestedAt`).
import { test, expect } from '@playwright/test';

const RELEASE = '/k8s-proxy/apis/helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases/podinfo';
const annotations = async (request) => (await (await request.get(RELEASE)).json()).metadata.annotations ?? {};

test('a HelmRelease can be forced (after confirming) and have its failures reset', async ({ page, request }) => {
  await page.goto('/r/helm.toolkit.fluxcd.io/v2/HelmRelease/podinfo/podinfo');
  const actions = page.getByRole('group', { name: 'Actions' });
  await expect(actions.getByRole('button', { name: 'Force upgrade' })).toBeEnabled();
  const before = await annotations(request);

  await actions.getByRole('button', { name: 'Force upgrade' }).click();
  await actions.getByRole('button', { name: 'Cancel' }).click();
  // Nothing is written, now or a moment later.
  await page.waitForTimeout(500);
  expect((await annotations(request))['reconcile.fluxcd.io/forceAt']).toBe(before['reconcile.fluxcd.io/forceAt']);
  await actions.getByRole('button', { name: 'Force upgrade' }).click();
  await actions.getByRole('button', { name: 'Confirm force upgrade' }).click();
  await expect.poll(async () => {
    const a = await annotations(request);
    return a['reconcile.fluxcd.io/forceAt'] && a['reconcile.fluxcd.io/forceAt'] === a['reconcile.fluxcd.io/requestedAt'];
  }).toBe(true);

  await actions.getByRole('button', { name: 'Reset failures' }).click();
  await expect.poll(async () => {
    const a = await annotations(request);
    return a['reconcile.fluxcd.io/resetAt'] && a['reconcile.fluxcd.io/resetAt'] === a['reconcile.fluxcd.io/requestedAt'];
  }).toBe(true);

  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps');
  await expect(page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Reconcile', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Force upgrade' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reset failures' })).toHaveCount(0);
});

// `flux reconcile kustomization apps --with-source`: the GitRepository its sourceRef names is
// annotated first, then the Kustomization, with the same time.
test('Reconcile with source asks the source first, then the object', async ({ page, request }) => {
  const SOURCE = '/k8s-proxy/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system';
  const APPS = '/k8s-proxy/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps';
  const requestedAt = async (path) => (await (await request.get(path)).json()).metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
  const patches = [];
  page.on('request', (r) => r.method() === 'PATCH' && patches.push(new URL(r.url()).pathname));
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps');
  const button = page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Reconcile with source' });
  await expect(button).toBeEnabled();
  const before = await requestedAt(APPS);
  await button.click();
  await expect.poll(async () => {
    const [source, apps] = [await requestedAt(SOURCE), await requestedAt(APPS)];
    return apps !== before && source === apps;
  }).toBe(true);
  // The page's request events reach the test after the server may have answered them.
  await expect.poll(() => patches.length).toBe(2);
  expect(patches).toEqual([SOURCE, APPS]);

  // A HelmRelease built from a chart template: its chart's HelmRepository, then the HelmChart
  // helm-controller made of it, then the release (as the Flux CLI does).
  await page.goto('/r/helm.toolkit.fluxcd.io/v2/HelmRelease/podinfo/podinfo');
  patches.length = 0;
  await page.getByRole('button', { name: 'Reconcile with source' }).click();
  await expect.poll(() => patches.length).toBe(3);
  expect(patches.map((p) => p.split('/').slice(-3).join('/'))).toEqual([
    'flux-system/helmrepositories/podinfo', 'flux-system/helmcharts/podinfo-podinfo', 'podinfo/helmreleases/podinfo']);
  await expect(page.getByRole('group', { name: 'Actions' }).locator('[role="alert"]')).toHaveCount(0);
  // A source has no "with source".
  await page.goto('/r/source.toolkit.fluxcd.io/v1/GitRepository/flux-system/flux-system');
  await expect(page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Reconcile', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reconcile with source' })).toHaveCount(0);
});

test('a reader may not reconcile with source: the button says which permission is missing', async ({ page }) => {
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps?agent=4');
  const button = page.getByRole('button', { name: 'Reconcile with source' });
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(button).toHaveAttribute('title', 'You may not patch gitrepositories in flux-system');
});
