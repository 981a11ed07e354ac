// The SPA end to end: overview, detail routes with tabs, deep links, back/forward, the command
// palette, agent switching and error pages.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const attention = (page, name, kind = 'HelmRelease') => page.locator(`.lo-attention__item[data-kind="${kind}"][data-name="${name}"]`);
const fluxChip = (page, tone) => page.locator(`.lo-chip[data-tally="Flux"][data-tone="${tone}"]`);

test('the overview shows the failing HelmRelease first and updates when it recovers', async ({ page, request }) => {
  const { storySeconds } = await dev(request, 'clock', { paused: true });
  try {
    await page.goto('/');
    await expect(fluxChip(page, 'ok')).not.toContainText(/^0 /);
    await dev(request, 'clock', { advance: ((23 - (storySeconds % 60)) + 60) % 60 || 60 });
    await expect(attention(page, 'podinfo')).toContainText('Helm upgrade failed');
    await expect(attention(page, 'podinfo').locator('.lo-status')).toHaveAttribute('data-tone', 'error');
    await expect(fluxChip(page, 'error').locator('.lo-chip__count')).toHaveText('1');
    const card = page.locator('.lo-flux-card[data-kind="HelmRelease"][data-name="podinfo"]');
    await expect(card).toHaveAttribute('data-state', 'failing');
    await expect(card).toContainText('HelmRepository flux-system/podinfo');
    await dev(request, 'clock', { advance: 12 });
    await expect(card).toHaveAttribute('data-state', 'ready');
    await expect(attention(page, 'podinfo')).toHaveCount(0);
    await expect(fluxChip(page, 'error').locator('.lo-chip__count')).toHaveText('0');
    const apps = page.locator('.lo-flux-card[data-kind="Kustomization"][data-name="apps"]');
    await expect(apps.getByRole('link', { name: 'Kustomization flux-system/infrastructure' })).toBeVisible();
  } finally {
    await dev(request, 'clock', { paused: false });
  }
});

// The first screen says what is failing and why: the crash-looping pod with its waiting reason,
// container and restarts, linked to its page; healthy counts in one line below.
test('the overview tells what is failing and why, each linked to its page', async ({ page }) => {
  const console = watchConsole(page);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  const pod = attention(page, 'worker-6b7c8d9e0-pqrst', 'Pod');
  await expect(pod.locator('.lo-status')).toHaveText('CrashLoopBackOff');
  await expect(pod.locator('.lo-status')).toHaveAttribute('data-tone', 'error');
  await expect(pod.locator('.lo-attention__reason')).toHaveText(/^container worker, \d+ restarts?$/);
  // The other crash-looping pod (podinfo's) is listed too.
  await expect(attention(page, 'podinfo-5d8f9c7b6-cd34e', 'Pod').locator('.lo-status')).toHaveText('CrashLoopBackOff');
  // Failing objects come before waiting ones, and the list is on the first screen.
  const tones = await page.locator('.lo-attention__item .lo-status').evaluateAll((els) => els.map((e) => e.dataset.tone));
  expect(tones.indexOf('error')).toBe(0);
  expect(tones.lastIndexOf('error')).toBeLessThan(tones.indexOf('progress') === -1 ? Infinity : tones.indexOf('progress'));
  const box = await pod.boundingBox();
  expect(box.y + box.height).toBeLessThan(900);
  // Healthy counts, each a link to its list.
  const tallies = page.getByLabel('Health at a glance');
  await expect(tallies.locator('.lo-chip[data-tally="Pods"][data-tone="ok"]').first()).toHaveAttribute('href', /^\/pods\?group=/);
  await expect(tallies.locator('.lo-chip[data-tally="Workloads"][data-tone="ok"]')).toContainText(/\d+ ready/);
  await pod.getByRole('link', { name: 'Pod demo/worker-6b7c8d9e0-pqrst' }).click();
  await expect(page).toHaveURL(/\/r\/core\/v1\/Pod\/demo\/worker-6b7c8d9e0-pqrst$/);
  console.check();
});

test('a pod that cannot pull its image appears on the overview with its reason, and leaves when deleted', async ({ page, request }) => {
  const name = `e2e-pull-${Date.now()}`;
  await page.goto('/');
  await expect(page.locator('.lo-attention__item').first()).toBeVisible();
  await dev(request, 'create', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'demo' },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:9.9.9' }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'registry.example.com/app:9.9.9',
      state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/app:9.9.9"' } } }] } });
  try {
    const item = attention(page, name, 'Pod');
    await expect(item.locator('.lo-status')).toHaveText('ImagePullBackOff');
    await expect(item.locator('.lo-attention__reason')).toHaveText('container app');
    await expect(item.locator('.lo-message')).toHaveText('Back-off pulling image "registry.example.com/app:9.9.9"');
  } finally {
    await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  }
  await expect(attention(page, name, 'Pod')).toHaveCount(0);
});

test('from a pod row to its detail page, its live log, and back', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/pods?namespace=demo');
  await page.getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).click();
  await expect(page).toHaveURL(/\/r\/core\/v1\/Pod\/demo\/api-5c8d7b9f4-klmno$/);
  await expect(page.getByRole('heading', { name: 'Pod demo/api-5c8d7b9f4-klmno' })).toBeVisible();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await expect(page).toHaveURL(/tab=logs/);
  await expect(page.locator('.lo-log__line').first()).toContainText('api: handled request');
  const before = await page.locator('.lo-log__line').count();
  await expect.poll(() => page.locator('.lo-log__line').count(), { timeout: 5_000 }).toBeGreaterThan(before);
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByLabel('YAML')).toContainText('kind: Pod');
  await expect(page.getByLabel('YAML')).not.toContainText('managedFields');
  await page.goBack();
  await expect(page.locator('.lo-log__line').first()).toBeVisible();
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL(/\/pods\?namespace=demo/);
  await expect(page.locator('tr[data-name="api-5c8d7b9f4-klmno"]')).toBeVisible();
  console.check();
});

test('a Kustomization detail: reconcile shows progress then ready with a new time; suspend and resume', async ({ page }) => {
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps');
  const badge = page.locator('.lo-toolbar .lo-status');
  await expect(badge).toHaveText('ready');
  // The demo answers every reconcile request: make one, and the handled time becomes "now".
  const handled = page.locator('.lo-facts dd.lo-reconciled');
  const before = await handled.textContent();
  const stamp = () => handled.locator('time').getAttribute('datetime', { timeout: 1_000 }).catch(() => null);
  const previous = await stamp();
  await page.getByRole('button', { name: 'Reconcile', exact: true }).click();
  await expect(badge).toHaveText('progressing');
  await expect(badge).toHaveText('ready', { timeout: 15_000 });
  await expect.poll(stamp).not.toBe(previous);
  await expect(handled).toHaveText(/\d+s ago/);
  expect(before).not.toBe(null);
  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(badge).toHaveText('suspended');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(badge).toHaveText('ready', { timeout: 15_000 });
});

test('inventory, graph and history tabs, and a deep link that survives reload', async ({ page }) => {
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps?tab=inventory');
  await expect(page.locator('.lo-tree__kind').first()).toBeVisible();
  await expect(page.locator('.lo-tree li[data-name] .lo-status').first()).toBeVisible();
  await page.getByRole('tab', { name: 'Graph' }).click();
  const node = page.locator('.lo-graph__node[data-current="true"]');
  await expect(node).toHaveAttribute('data-name', 'apps');
  await page.reload();
  await expect(page.locator('.lo-graph__node[data-current="true"]')).toHaveAttribute('data-name', 'apps');
  await page.locator('.lo-graph__node[data-name="infrastructure"]').click();
  await expect(page).toHaveURL(/Kustomization\/flux-system\/infrastructure/);
  await page.goto('/r/helm.toolkit.fluxcd.io/v2/HelmRelease/podinfo/podinfo?tab=history');
  await expect(page.getByRole('table', { name: 'Helm release history' }).locator('tbody tr').first()).toBeVisible();
});

test('the command palette jumps to an object by name', async ({ page }) => {
  await page.goto('/pods');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Jump to an object' });
  await expect(dialog).toBeVisible();
  await page.keyboard.type('infrastruct');
  await expect(dialog.getByRole('option').first()).toContainText('Kustomization flux-system/infrastructure');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/r\/kustomize.toolkit.fluxcd.io\/v1\/Kustomization\/flux-system\/infrastructure/);
  await expect(dialog).toHaveCount(0);
});

test('the cluster is in the URL: agent 2 is the staging cluster', async ({ page }) => {
  await page.goto('/pods?agent=2');
  await expect(page.getByLabel('Cluster')).toHaveValue('2');
  await expect(page.locator('tbody tr.lo-vrow').first()).toBeVisible();
  await expect(page.locator('tr[data-name="web-7d9f8c6b5-abcde"]')).toHaveCount(0);
  await page.getByRole('link', { name: 'Services' }).click();
  await expect(page).toHaveURL(/\/services\?agent=2/);
});

test('the cluster picker names the clusters lookout-dev serves', async ({ page }) => {
  await page.goto('/pods?agent=2');
  const picker = page.getByLabel('Cluster');
  await expect(picker.locator('option')).toHaveText(['demo (agent 1)', 'staging (agent 2)', 'demo, flux-system reader (agent 4)']);
  await expect(picker).toHaveValue('2');
});

test('unknown pages and missing objects say so', async ({ page }) => {
  await page.goto('/nope');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.goto('/r/core/v1/Pod/demo/does-not-exist');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // A crafted group may not steer the page's requests to another API path.
  await page.goto('/r/x%2F..%2F..%2Fapi%2Fv1%2Fnamespaces%2Fkube-system%2Fsecrets%3F/v1/Foo/_/y?tab=yaml');
  await expect(page.getByRole('heading', { name: 'Unknown kind' })).toBeVisible();
});

test('an agent the user cannot reach shows an actionable error panel', async ({ page }) => {
  await page.goto('/pods?agent=99');
  const panel = page.getByRole('alert');
  await expect(panel).toBeVisible({ timeout: 15_000 });
  await expect(panel).toContainText(/Not found|No access|Signed out/);
  await expect(panel.getByRole('button', { name: 'Retry now' })).toBeVisible();
  // Retry starts the watch again at once, in place: no page reload (inside GitLab, a reload
  // would reload GitLab).
  await page.evaluate(() => { window.lookoutNotReloaded = true; });
  const retried = page.waitForRequest((r) => r.url().includes('/k8s-proxy/') && r.url().includes('pods'));
  await panel.getByRole('button', { name: 'Retry now' }).click();
  await retried;
  expect(await page.evaluate(() => window.lookoutNotReloaded)).toBe(true);
});

test('going from page to page by the header links never breaks the app (leaving /flux used to kill it)', async ({ page }) => {
  const console = watchConsole(page);
  await page.goto('/flux');
  await expect(page.locator('table[aria-label="Flux objects"] tbody tr').first()).toBeVisible();
  for (const name of ['Pods', 'Flux', 'Events', 'Flux', 'Overview', 'Resources', 'Workloads', 'Services', 'Namespaces', 'Flux', 'Pods']) {
    await page.locator('.lo-nav').getByRole('link', { name, exact: true }).click();
    await expect(page.locator('.lo-nav a[aria-current="page"]')).toHaveText(name);
    await page.waitForTimeout(250);
  }
  // A detail page (its kind resolved by discovery), then away again.
  await page.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps');
  await expect(page.getByRole('heading', { name: 'apps' })).toBeVisible();
  await page.locator('.lo-nav').getByRole('link', { name: 'Pods', exact: true }).click();
  await expect(page.locator('table[aria-label="Pods"]')).toBeVisible();
  // Still alive: a page switch still renders.
  await page.locator('.lo-nav').getByRole('link', { name: 'Flux', exact: true }).click();
  await expect(page.locator('table[aria-label="Flux objects"] tbody tr').first()).toBeVisible();
  console.check();
});

// The pages behind a click are wasm chunks cut from the app (scripts/lib.sh split_app): the first
// view fetches none of them, a page's chunk comes on its first visit, and only once.
const chunkPath = (url) => {
  const path = new URL(url).pathname;
  return /^\/(split|chunk)_[^/]*\.wasm$/.test(path) ? path : null;
};

test('a page behind a click loads its code on the first visit, once', async ({ page }) => {
  const console = watchConsole(page);
  const fetched = [];
  page.on('request', (r) => chunkPath(r.url()) && fetched.push(chunkPath(r.url())));
  await page.goto('/pods');
  await expect(page.locator('table[aria-label="Pods"] tbody tr[data-name]').first()).toBeVisible();
  expect(fetched).toEqual([]);
  const nav = (name) => page.locator('.lo-nav').getByRole('link', { name, exact: true }).click();
  await nav('Flux');
  await expect(page.locator('table[aria-label="Flux objects"] tbody tr').first()).toBeVisible();
  expect(fetched.filter((p) => p.startsWith('/split_lists-'))).toHaveLength(1);
  const afterFlux = fetched.length;
  await nav('Pods');
  await expect(page.locator('table[aria-label="Pods"]')).toBeVisible();
  await nav('Flux');
  await expect(page.locator('table[aria-label="Flux objects"] tbody tr').first()).toBeVisible();
  expect(fetched).toHaveLength(afterFlux);
  console.check();
});

test('the first view fetches its code once each, and no file it does not run', async ({ page }) => {
  const code = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(js|wasm)$/.test(path)) code.push(path.replace(/-[0-9a-f]{16}(?=[._])/, ''));
  });
  await page.goto('/pods');
  await expect(page.locator('table[aria-label="Pods"] tbody tr[data-name]').first()).toBeVisible();
  // The chunk loader is preloaded beside the wasm, and the preload is the request its import uses.
  expect(code.sort()).toEqual(['/__wasm_split.js', '/lookout-app.js', '/lookout-app_bg.wasm']);
});

test('a page whose code cannot be downloaded says so, and the next visit loads it', async ({ page }) => {
  await page.route(/\/split_lists-[0-9a-f]+\.wasm$/, (route) => route.abort());
  await page.goto('/pods');
  const nav = (name) => page.locator('.lo-nav').getByRole('link', { name, exact: true }).click();
  await nav('Events');
  await expect(page.getByRole('heading', { name: 'This page could not be loaded' })).toBeVisible();
  await page.unrouteAll();
  await nav('Pods');
  await expect(page.locator('table[aria-label="Pods"]')).toBeVisible();
  await nav('Events');
  await expect(page.locator('table[aria-label="Events"]')).toBeVisible();
});
