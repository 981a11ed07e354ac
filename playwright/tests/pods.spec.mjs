// The pods page follows the simulated cluster live: creates, changes and deletes appear without a
// reload, and a dropped watch connection is resumed without losing a change.
import { test, expect } from '@playwright/test';
import { dev, pod, row, watchConsole } from './helpers.mjs';

test('shows the seeded pods, then creates and phase changes live', async ({ page, request }) => {
  const console = watchConsole(page);
  await page.goto('/pods?namespace=demo');
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
  await expect(row(page, 'worker-6b7c8d9e0-pqrst')).toContainText('CrashLoopBackOff');
  await expect(row(page, 'worker-6b7c8d9e0-pqrst')).toContainText('7');
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toContainText('2/2');
  for (const seeded of ['web-7d9f8c6b5-fghij', 'api-5c8d7b9f4-klmno', 'migrate-28f3k', 'cache-0']) {
    await expect(row(page, seeded)).toBeVisible();
  }
  await expect(row(page, 'coredns-5d78c9869d-x2x4q')).toHaveCount(0);
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');

  const name = `e2e-new-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Pending', [{ name: 'main', ready: false, restartCount: 0 }]));
  await dev(request, 'patch', {
    apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'cache-0',
    patch: { status: { phase: 'Failed', containerStatuses: [{ name: 'redis', ready: false, restartCount: 2, state: { terminated: { reason: 'OOMKilled' } } }] } },
  });
  await expect(row(page, name)).toContainText('Pending');
  await expect(row(page, name)).toContainText('0/1');
  await expect(row(page, 'cache-0')).toContainText('OOMKilled');
  await expect(row(page, 'cache-0').locator('.lo-status')).toHaveAttribute('data-tone', 'error');

  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  await expect(row(page, name)).toHaveCount(0);
  console.check();
});

test('reconnects after the watch connection drops and converges', async ({ page, request }) => {
  await page.goto('/pods?namespace=demo');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await expect(row(page, 'api-5c8d7b9f4-klmno')).toBeVisible();
  // Lists go over plain HTTP; the watches that follow them may still be opening.
  await expect.poll(async () => (await dev(request, 'stats')).openWatches).toBeGreaterThan(1);

  const dropped = await dev(request, 'drop-watches');
  expect(dropped.dropped).toBeGreaterThan(0);
  // Changes made while the page is reconnecting must still arrive.
  const name = `e2e-after-drop-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await dev(request, 'patch', {
    apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'api-5c8d7b9f4-klmno',
    patch: { status: { containerStatuses: [{ name: 'api', ready: true, restartCount: 4, state: { running: {} } }] } },
  });
  await expect(row(page, name)).toContainText('Running');
  await expect(row(page, 'api-5c8d7b9f4-klmno').locator('td.lo-num')).toHaveText('4');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
});

test('relists after the history is compacted (410) without ghosts', async ({ page, request }) => {
  await page.goto('/pods?namespace=demo');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  const name = `e2e-ghost-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await expect(row(page, name)).toBeVisible();

  // Cut the connection, delete while disconnected, and forget history: the resume gets 410 Expired,
  // and only a relist can tell the page that the pod is gone.
  await dev(request, 'drop-watches');
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  await dev(request, 'compact');
  await expect(row(page, name)).toHaveCount(0);
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
});

test('the namespace is in the URL and switching namespaces re-targets the watch', async ({ page }) => {
  await page.goto('/pods?namespace=kube-system');
  await expect(row(page, 'coredns-5d78c9869d-x2x4q')).toBeVisible();
  await expect(page.locator('tbody tr.lo-vrow')).toHaveCount(3);
  await page.getByLabel('Namespace').selectOption('');
  await expect(page).not.toHaveURL(/namespace=/);
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
  await expect(row(page, 'coredns-5d78c9869d-x2x4q')).toContainText('kube-system');
  await page.goBack();
  await expect(page.locator('tbody tr.lo-vrow')).toHaveCount(3);
});

test('hostile strings render as text', async ({ page, request }) => {
  const evil = '<img src=x onerror="window.__pwned=1">';
  const name = `e2e-hostile-${Date.now()}`;
  const p = pod('demo', name, 'Pending', [{ name: 'main', ready: false, restartCount: 0 }]);
  p.status.containerStatuses[0].state = { waiting: { reason: evil } };
  await dev(request, 'create', p);
  await page.goto('/pods?namespace=demo');
  await expect(row(page, name)).toContainText(evil);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  await expect(page.locator('tbody img')).toHaveCount(0);
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
});

test('summary counts pods by group and filters the table', async ({ page }) => {
  await page.goto('/pods?namespace=kube-system');
  const running = page.locator('.lo-chip[data-group="Running"]');
  await expect(running).toContainText('3');
  await expect(page.locator('.lo-chip[data-group="Crash-looping"]')).toContainText('0');
  await page.goto('/pods?namespace=demo');
  const crashing = page.locator('.lo-chip[data-group="Crash-looping"]');
  await expect(crashing).toContainText('1');
  await crashing.click();
  await expect(crashing).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('tbody tr.lo-vrow')).toHaveCount(1);
  await expect(row(page, 'worker-6b7c8d9e0-pqrst')).toBeVisible();
  await crashing.click();
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
});

test('components reading the same collection share one watch; switching closes the old one', async ({ page, request }) => {
  const openWatches = async () => (await dev(request, 'stats')).openWatches;
  // Let streams of earlier tests' pages close.
  await expect.poll(openWatches).toBe(0);
  await page.goto('/pods?namespace=demo');
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
  await expect(page.locator('.lo-chip[data-group="Running"]')).not.toContainText(/^0/);
  // The table and the summary both read demo's pods, the picker reads namespaces: two streams.
  await expect.poll(openWatches).toBe(2);
  await page.getByLabel('Namespace').selectOption('kube-system');
  await expect(row(page, 'coredns-5d78c9869d-x2x4q')).toBeVisible();
  await expect.poll(openWatches).toBe(2);
  await page.goto('about:blank');
  await expect.poll(openWatches).toBe(0);
});

test('with ?transport=ws every watch shares one WebSocket, live and resumable', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  await expect.poll(async () => (await stats()).openWatches).toBe(0);
  await page.goto('/pods?namespace=demo&transport=ws');
  await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await expect.poll(async () => {
    const s = await stats();
    return [s.watchSockets, s.httpWatches, s.openWatches];
  }).toEqual([1, 0, 2]);

  const name = `e2e-ws-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await expect(row(page, name)).toContainText('Running');
  // Cut every watch: they resume over the same socket and miss nothing.
  await dev(request, 'drop-watches');
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  await expect(row(page, name)).toHaveCount(0);
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  expect((await stats()).httpWatches).toBe(0);
  await page.goto('about:blank');
  await expect.poll(async () => (await stats()).watchSockets).toBe(0);
});

test('a watch socket that sends what is not the protocol is dropped; its watches resume over a new one', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/pods?namespace=demo&transport=ws');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await expect.poll(async () => (await stats()).watchSockets).toBe(1);
  const opened = (await stats()).watchSocketsOpened;
  // A proxy between browser and KAS answers with an HTML page in a text frame.
  expect((await dev(request, 'socket-garbage', { text: '<html>502 Bad Gateway</html>' })).sockets).toBeGreaterThan(0);
  await expect.poll(async () => {
    const s = await stats();
    return [s.watchSocketsOpened - opened, s.watchSockets, s.httpWatches];
  }).toEqual([1, 1, 0]);
  // Live over the new socket, nothing lost.
  const name = `e2e-garbage-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await expect(row(page, name)).toContainText('Running');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  await expect(row(page, name)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a proxy that garbles every new socket: after three in a row the watches use HTTP', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  const opened = (await stats()).watchSocketsOpened;
  await dev(request, 'socket-garbage', { newSockets: 3 });
  try {
    await page.goto('/pods?namespace=demo&transport=ws');
    await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
    await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
    await expect.poll(async () => {
      const s = await stats();
      return [s.watchSocketsOpened - opened, s.watchSockets, s.httpWatches > 0];
    }).toEqual([3, 0, true]);
    const name = `e2e-garbled-${Date.now()}`;
    await dev(request, 'create', pod('demo', name, 'Running'));
    await expect(row(page, name)).toContainText('Running');
    await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
    await expect(row(page, name)).toHaveCount(0);
  } finally {
    await dev(request, 'socket-garbage', { newSockets: 0 });
  }
});

test('without the watch aggregator, ?transport=ws falls back to HTTP watches', async ({ page, request }) => {
  const stats = () => dev(request, 'stats');
  await dev(request, 'watch-aggregator', { enabled: false });
  try {
    await expect.poll(async () => (await stats()).openWatches).toBe(0);
    await page.goto('/pods?namespace=demo&transport=ws');
    await expect(row(page, 'web-7d9f8c6b5-abcde')).toBeVisible();
    await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
    await expect.poll(async () => {
      const s = await stats();
      return [s.watchSockets, s.httpWatches];
    }).toEqual([0, 2]);
  } finally {
    await dev(request, 'watch-aggregator', { enabled: true });
  }
});

test('deleting a pod asks for confirmation, then it terminates and disappears', async ({ page, request }) => {
  const name = `e2e-delete-${Date.now()}`;
  await dev(request, 'create', pod('demo', name, 'Running'));
  await page.goto('/pods?namespace=demo');
  const r = row(page, name);
  await r.getByRole('button', { name: 'Delete' }).click();
  await r.getByRole('button', { name: 'Cancel' }).click();
  await expect(r.getByRole('button', { name: 'Delete' })).toBeVisible();
  await r.getByRole('button', { name: 'Delete' }).click();
  await r.getByRole('button', { name: 'Confirm delete' }).click();
  await expect(r).toContainText('Terminating');
  await expect(row(page, name)).toHaveCount(0);
});
