// The workloads page counts each kind by kstatus health, live.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const card = (page, kind) => page.locator(`.lo-card[data-kind="${kind}"]`);
const count = (page, kind, health) => card(page, kind).locator(`[data-health="${health}"]`);

test('counts workloads by health and follows changes', async ({ page, request }) => {
  const console = watchConsole(page);
  await page.goto('/?page=workloads&namespace=demo');
  // web and api are available; worker has no ready replica.
  await expect(count(page, 'Deployments', 'ready')).toHaveText('2 ready');
  await expect(count(page, 'Deployments', 'progressing')).toHaveText('1 progressing');
  await expect(count(page, 'Jobs', 'ready')).toHaveText('1 ready');
  await expect(count(page, 'CronJobs', 'ready')).toHaveText('1 ready');
  await expect(count(page, 'StatefulSets', 'progressing')).toHaveText('1 progressing');
  // The worker becomes available.
  await dev(request, 'patch', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'worker',
    patch: { status: { readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] } } });
  await expect(count(page, 'Deployments', 'ready')).toHaveText('3 ready');
  await dev(request, 'patch', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'demo', name: 'worker',
    patch: { status: { readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] } } });
  await expect(count(page, 'Deployments', 'ready')).toHaveText('2 ready');
  console.check();
});
