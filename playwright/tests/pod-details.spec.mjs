// A pod's detail page tells what `kubectl describe pod` tells (the demo's crash-looping podinfo
// replica), and a pod has one status word: the same in the pods table and on its page.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const CRASHING = 'podinfo-5d8f9c7b6-cd34e';

test('the crash-looping pod shows its container state, restarts, last termination, node, IP and QoS', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto(`/r/core/v1/Pod/podinfo/${CRASHING}`);
  const container = page.locator('.lo-container[data-container="podinfo"]');
  await expect(container.locator('[data-fact="state"]')).toContainText('CrashLoopBackOff');
  await expect(container.locator('[data-fact="state"]')).toContainText('back-off 5m0s restarting failed container');
  await expect(container.locator('[data-fact="ready"]')).toHaveText('False');
  // The demo's pod keeps crashing: 4 restarts when seeded, more since.
  await expect(container.locator('[data-fact="restarts"]')).toHaveText(/^\d+$/);
  expect(Number(await container.locator('[data-fact="restarts"]').textContent())).toBeGreaterThanOrEqual(4);
  await expect(container.locator('[data-fact="last-termination"]')).toContainText(/^Error \(exit code 1\), \S+ ago$/);
  await expect(container.locator('[data-fact="image"]')).toHaveText('ghcr.io/stefanprodan/podinfo:6.5.4');
  await expect(container.locator('[data-fact="ports"]')).toHaveText('http 9898/TCP');
  await expect(page.locator('dl[aria-label="Pod"] [data-fact="node"]')).toHaveText('node-2');
  await expect(page.locator('dl[aria-label="Pod"] [data-fact="ip"]')).toHaveText(/^10\.244\.2\.\d+$/);
  await expect(page.locator('dl[aria-label="Pod"] [data-fact="qos"]')).toHaveText('BestEffort');
  console.check();
});

/** The status word and tone of a pod in the pods table and on its detail page. */
async function statusEverywhere(page, namespace, name) {
  await page.goto(`/pods?namespace=${namespace}`);
  const cell = page.locator(`tr[data-name="${name}"] .lo-status`);
  await expect(cell).toBeVisible();
  const inTable = [await cell.textContent(), await cell.getAttribute('data-tone')];
  await page.goto(`/r/core/v1/Pod/${namespace}/${name}`);
  const badge = page.locator('.lo-toolbar .lo-status').first();
  await expect(badge).toBeVisible();
  const onPage = [await badge.textContent(), await badge.getAttribute('data-tone')];
  return { inTable, onPage };
}

test('a pod has one status word: the table and its detail page agree', async ({ page, request }) => {
  const crashing = await statusEverywhere(page, 'podinfo', CRASHING);
  expect(crashing.inTable).toEqual(['CrashLoopBackOff', 'error']);
  expect(crashing.onPage).toEqual(crashing.inTable);

  // A Pending pod the scheduler gave up on: "Pending" (in progress) in both places, never "failed".
  const name = `pending-${Date.now()}`;
  await dev(request, 'create', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'main', image: 'example/app:1' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] },
  });
  try {
    const pending = await statusEverywhere(page, 'demo', name);
    expect(pending.inTable).toEqual(['Pending', 'progress']);
    expect(pending.onPage).toEqual(pending.inTable);
  } finally {
    await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  }
});

test('a workload summary gives its replicas as kubectl describe does', async ({ page }) => {
  await page.goto('/r/apps/v1/Deployment/podinfo/podinfo');
  await expect(page.locator('dl[aria-label="Workload"] [data-fact="replicas"]')).toHaveText(/^2 desired \| \d+ updated \| \d+ total \| 1 available \| \d+ unavailable$/);
  await expect(page.locator('dl[aria-label="Workload"] [data-fact="images"]')).toContainText('podinfo: ghcr.io/stefanprodan/podinfo:6.5.4');
});
