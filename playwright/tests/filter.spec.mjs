// One text filter on every table: `?q=key=value` is an exact label match and any other text a
// substring of name, namespace or labels, on the Flux page as on the pods page.
import { test, expect } from '@playwright/test';
import { dev, pod } from './helpers.mjs';

const fluxRows = (page) => page.locator('.lo-flux-table tbody tr[data-name]');
const podRows = (page) => page.locator('tbody tr.lo-vrow');

test('the same query filters the Flux page and the pods page the same way', async ({ page, request }) => {
  // A Flux object and a pod that carry the label app=web without "web" in their names.
  await dev(request, 'create', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'storefront', namespace: 'flux-system', labels: { app: 'web' } },
    spec: { interval: '10m', path: './storefront', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  });
  const shop = { ...pod('demo', 'storefront-1', 'Running'), metadata: { name: 'storefront-1', namespace: 'demo', labels: { app: 'web' } } };
  await dev(request, 'create', shop);
  try {
    // key=value: exactly the objects labelled app=web.
    await page.goto('/flux?q=app%3Dweb');
    await expect(fluxRows(page)).toHaveCount(1);
    await expect(fluxRows(page).first()).toHaveAttribute('data-name', 'storefront');
    await page.goto('/pods?namespace=demo&q=app%3Dweb');
    await expect(podRows(page)).toHaveCount(3);
    for (const name of await podRows(page).evaluateAll((rows) => rows.map((r) => r.dataset.name))) {
      expect(name).toMatch(/^(web-|storefront-1$)/);
    }
    // A label value is exact: app=we keeps nothing on either page.
    await page.goto('/flux?q=app%3Dwe');
    await expect(page.getByText('No Flux objects match the filter.')).toBeVisible();
    await page.goto('/pods?namespace=demo&q=app%3Dwe');
    await expect(page.locator('.lo-empty').filter({ hasText: /match/ })).toBeVisible();
    await expect(podRows(page)).toHaveCount(0);
    // Plain text also finds label values: "web" keeps the labelled objects on both pages.
    await page.goto('/flux?q=web');
    await expect(fluxRows(page).filter({ has: page.locator('a', { hasText: 'storefront' }) })).toHaveCount(1);
    await page.goto('/pods?namespace=demo&q=web');
    await expect(podRows(page)).toHaveCount(3);
  } finally {
    await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'storefront-1' });
    await dev(request, 'delete', { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'storefront' });
  }
});
