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

// `kubectl scale` from a workload's page: the scale subresource is patched, and the page shows
// the new count once the watch brings it (the demo's controllers then make the pods).
test('a Deployment is scaled from its page; the count and readiness follow the watch', async ({ page, request }) => {
  const console = watchConsole(page);
  const path = '/k8s-proxy/apis/apps/v1/namespaces/demo/deployments';
  const name = 'scale-me';
  await request.delete(`${path}/${name}`);
  const created = await request.post(path, { data: { apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'demo', labels: { app: name } },
    spec: { replicas: 1, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'example/app:1' }] } } } } });
  expect(created.ok()).toBeTruthy();
  try {
    const patches = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(new URL(r.url()).pathname));
    await page.goto(`/r/apps/v1/Deployment/demo/${name}`);
    const scale = page.getByRole('group', { name: 'Scale' });
    const field = scale.getByRole('spinbutton', { name: 'Replicas' });
    const button = scale.getByRole('button', { name: 'Scale' });
    await expect(field).toHaveValue('1');
    await expect(button).toBeDisabled();
    // Not a count: said so, nothing sent.
    await field.fill('-1');
    await expect(scale.getByRole('alert')).toHaveText('Replicas are a whole number, 0 or more.');
    await expect(button).toBeDisabled();
    await field.fill('3');
    await button.click();
    await expect.poll(async () => (await (await request.get(`${path}/${name}`)).json()).spec.replicas).toBe(3);
    expect(patches).toEqual([`${path}/${name}/scale`]);
    await expect(scale.locator('[data-fact="ready"]')).toHaveText(/ of 3 ready$/);
    // A change made elsewhere shows too.
    await request.patch(`${path}/${name}/scale`, { data: { spec: { replicas: 2 } }, headers: { 'Content-Type': 'application/merge-patch+json' } });
    await expect(field).toHaveValue('2');
    await expect(scale.locator('[data-fact="ready"]')).toHaveText(/ of 2 ready$/);
  } finally {
    await request.delete(`${path}/${name}`);
  }
  console.check();
});

test('a reader may not scale: the field and button are disabled with the reason', async ({ page }) => {
  await page.goto('/r/apps/v1/Deployment/flux-system/source-controller?agent=4');
  const scale = page.getByRole('group', { name: 'Scale' });
  await expect(scale.getByRole('button', { name: 'Scale' })).toHaveAttribute('aria-disabled', 'true');
  await expect(scale.locator('.lo-refusal')).toHaveText('You may not patch deployments/scale in flux-system');
  await expect(scale.getByRole('spinbutton', { name: 'Replicas' })).toBeDisabled();
});
