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
  await expect(page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Reconcile' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Force upgrade' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reset failures' })).toHaveCount(0);
});
