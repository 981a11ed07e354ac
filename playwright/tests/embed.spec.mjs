// The widgets on a GitLab-style host page (another origin than the KAS), with the GitLab session:
// both elements render (each from its own bundle), re-target on attribute changes, report DOM events, open a details drawer
// (its own bundle, loaded by the first click only), close their watches when removed, and explain an expired session or a
// forbidden agent.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dev, pod, watchConsole } from './helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system' };

/** The URLs of the drawer bundle's files the page requested so far. */
const drawerRequests = (page) => {
  const urls = [];
  page.on('request', (r) => {
    if (r.url().includes('/embed/drawer/')) urls.push(r.url());
  });
  return urls;
};

const openWatches = async (request) => (await dev(request, 'stats')).openWatches;

test('both widgets render live with the GitLab session, cross-origin', async ({ page, request }) => {
  const console = watchConsole(page);
  await page.goto('/embed-demo.html');
  // The host page is GitLab's stand-in: not the KAS's origin.
  expect(new URL(page.url()).origin).not.toBe(new URL(process.env.LOOKOUT_URL).origin);
  await expect(page.locator('#flux-status')).toHaveAttribute('data-state', 'reconciled');
  await expect(page.locator('#flux-status .lo-status')).toHaveText('Reconciled');
  await expect(page.locator('#flux-status .lo-sync__rev')).toHaveText(/^main@sha1:[0-9a-f]{8}$/);
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="worker-6b7c8d9e0-pqrst"]')).toContainText('CrashLoopBackOff');
  await expect(env.locator('.lo-card[data-kind="Deployments"] [data-health="ready"]')).toHaveText('2 ready');
  await expect(env.locator('tr[data-name="web"]')).toContainText('80/TCP');
  await expect(page.locator('#mounted .lo-status')).toHaveText('Reconciled');
  // The events the host can listen to.
  await expect(page.locator('#events')).toContainText('lookout-status flux-status: {"state":"reconciled"');
  // Host styles stay out, ours stay in.
  expect(await page.locator('#environment').evaluate((el) => !!el.shadowRoot?.querySelector('style'))).toBe(true);
  console.check();
});

test('<lookout-flux-status> needs only its own bundle, paints from the loader\'s one list of the named object and watches from it', async ({ page }) => {
  // The environment bundle never arrives: the badge does not depend on it.
  await page.route('**/embed/lookout-environment*', (route) => route.abort());
  const api = [];
  page.on('request', (r) => {
    if (r.url().includes('/k8s-proxy/')) api.push(decodeURIComponent(r.url()));
  });
  const list = /\/namespaces\/flux-system\/kustomizations\?fieldSelector=metadata\.name=apps&limit=500$/;
  const listed = page.waitForResponse((r) => list.test(decodeURIComponent(r.url())));
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await expect(status.locator('.lo-status')).toHaveText('Reconciled');
  await expect(page.locator('#events')).toContainText('lookout-status flux-status: {"state":"reconciled"');
  // The source's URL (one GET of the GitRepository) makes the revision a commit link.
  await expect(status.locator('a.lo-sync__rev')).toHaveAttribute('href', /^https:\/\/gitlab\.example\.com\/platform\/fleet\/-\/commit\/[0-9a-f]{40}$/);
  // First the list of that one object, sent by the loader while the wasm loaded; the widget took
  // its response (no second list), then watched from its resourceVersion; no discovery, no
  // WebSocket; then the source. The badge mount() shows (the podinfo HelmRelease) makes its own.
  const own = () => api.filter((u) => !u.includes('/namespaces/podinfo/'));
  const { resourceVersion } = (await (await listed).json()).metadata;
  const watches = () => own().filter((u) => u.includes('watch=true'));
  await expect.poll(() => watches().length).toBe(1);
  expect(own()[0]).toMatch(list);
  expect(own().filter((u) => list.test(u))).toHaveLength(1);
  expect(watches()[0]).toMatch(/\/namespaces\/flux-system\/kustomizations\?fieldSelector=metadata\.name=apps&watch=true&/);
  expect(new URL(watches()[0]).searchParams.get('resourceVersion')).toBe(resourceVersion);
  expect(own().filter((u) => !list.test(u) && !u.includes('watch=true')).every((u) => /\/gitrepositories\/[^/?]+$/.test(u))).toBe(true);
  expect(api.filter((u) => u.includes('/namespaces/podinfo/')).every((u) => /\/helmreleases\?.*fieldSelector=metadata\.name=podinfo/.test(u))).toBe(true);
  expect(await page.locator('#environment tr').count()).toBe(0);
  // Its own styles: the badge's tone, in the theme the attribute names.
  const badge = () => status.locator('.lo-status').evaluate((el) => getComputedStyle(el).backgroundColor);
  const requests = api.length;
  await status.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(badge).toBe('rgb(236, 244, 238)');
  await status.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(badge).toBe('rgb(13, 42, 24)');
  // A new theme recolours the badge; setting an attribute to its value changes nothing: the
  // watch stays, no request is made again.
  await status.evaluate((el) => el.setAttribute('flux-resource', el.getAttribute('flux-resource')));
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  expect(api.length).toBe(requests);
});

test('<lookout-flux-status>\'s first request leaves with the page (the loader\'s inlined block), not after the loader file; without the block the loader sends it', async ({ page }) => {
  const list = /\/namespaces\/flux-system\/kustomizations\?fieldSelector=metadata\.name=apps&limit=500$/;
  const order = [];
  // The environment widget lists the same object for its own sync status: out of this test.
  await page.route('**/embed/lookout-environment*', (route) => route.abort());
  page.on('request', (r) => {
    if (list.test(decodeURIComponent(r.url()))) order.push('list');
  });
  // The loader file is held back a second: with the block inlined the list cannot wait for it.
  await page.route('**/embed/flux-status/lookout-flux-status-loader.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    order.push('loader');
    await route.continue();
  });
  const status = page.locator('#flux-status');
  for (const [query, expected] of [['', ['list', 'loader']], ['?early=none', ['loader', 'list']]]) {
    order.length = 0;
    await page.goto(`/embed-demo.html${query}`);
    await expect(status).toHaveAttribute('data-state', 'reconciled');
    // One list either way: the widget paints from the early response and sends none of its own.
    expect(order.filter((o) => o === 'list'), query || 'inlined').toHaveLength(1);
    expect(order.slice(0, 2), query || 'inlined').toEqual(expected);
  }
});

test('the first view is live without the drawer bundle: pods, services and the sync status follow the cluster', async ({ page, request }) => {
  const drawer = drawerRequests(page);
  const ks = {
    ...KS, metadata: { name: 'e2e-env', namespace: KS.namespace },
    spec: { interval: '10m0s', path: './e2e-env', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    status: { observedGeneration: 1, lastAppliedRevision: 'main@sha1:1111111111111111111111111111111111111111',
      conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:1111111', lastTransitionTime: '2026-11-25T08:00:00Z' }] },
  };
  // The demo's controllers would reconcile the probe objects: its clock stands still meanwhile.
  await dev(request, 'clock', { paused: true });
  await dev(request, 'create', ks);
  try {
    await page.goto('/embed-demo.html');
    const env = page.locator('#environment');
    await env.evaluate((el) => el.setAttribute('flux-resource', 'kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/e2e-env'));
    const sync = env.locator('.lo-sync');
    await expect(sync).toHaveAttribute('data-state', 'reconciled');
    await expect(sync.locator('.lo-sync__rev')).toHaveText('main@sha1:11111111');
    await expect(sync.locator('.lo-sync__when')).toContainText(/^reconciled .+ ago$/);
    await expect(env.getByRole('table', { name: 'Pods' }).getByRole('columnheader', { name: 'Status' })).toBeVisible();
    await expect(env.locator('tr[data-name="web"]')).toContainText('80/TCP');

    // A new pod gets a row; a change to it updates that row in place; its deletion removes it.
    await dev(request, 'create', pod('demo', 'e2e-env-probe', 'Pending', [{ name: 'main', ready: false, restartCount: 0 }]));
    const row = env.locator('tr[data-name="e2e-env-probe"]');
    await expect(row).toContainText('Pending');
    await row.evaluate((tr) => { tr.dataset.probe = 'same row'; });
    await dev(request, 'patch', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name: 'e2e-env-probe',
      patch: { status: { phase: 'Running', containerStatuses: [{ name: 'main', ready: true, restartCount: 3, state: { running: {} } }] } } });
    await expect(row).toContainText('Running');
    await expect(row.locator('td').first()).toHaveText('1/1');
    await expect(row).toHaveAttribute('data-probe', 'same row');
    // Delete asks first; confirmed, the pod is deleted (through the KAS, with the session) and its row goes.
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.getByRole('button', { name: 'Confirm delete' })).toHaveCount(0);
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(row).toHaveCount(0);

    // Suspend and resume the Flux object from the widget: the buttons follow its spec.
    const toolbar = env.locator('.lo-toolbar:has(.lo-sync)');
    await toolbar.getByRole('button', { name: 'Suspend' }).click();
    await expect(toolbar.getByRole('button', { name: 'Resume' })).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Reconcile' })).toBeDisabled();
    await expect(sync).toHaveAttribute('data-state', 'suspended');
    await toolbar.getByRole('button', { name: 'Resume' }).click();
    await expect(toolbar.getByRole('button', { name: 'Suspend' })).toBeVisible();
    await expect(toolbar.getByRole('button', { name: 'Reconcile' })).toBeEnabled();

    // The sync status follows its object, and the host page hears of it.
    await dev(request, 'patch', { ...KS, name: 'e2e-env', patch: { status: { conditions: [
      { type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: e2e', lastTransitionTime: '2026-11-25T08:05:00Z' }] } } });
    await expect(sync).toHaveAttribute('data-state', 'failed');
    await expect(sync.locator('.lo-sync__message')).toHaveText('kustomize build failed: e2e');
    await expect(page.locator('#events')).toContainText('lookout-status environment: {"state":"failed"');
    expect(drawer).toEqual([]);
  } finally {
    await dev(request, 'delete', { ...KS, name: 'e2e-env' });
    await dev(request, 'clock', { paused: false });
  }
});

test('the first view passes axe-core (WCAG 2.1 A and AA): labelled tables, headers, live regions', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="web"]')).toContainText('80/TCP');
  await expect(env.locator('.lo-sync')).toHaveAttribute('data-state', 'reconciled');
  await expect(env.getByRole('table', { name: 'Pods' }).getByRole('rowheader', { name: 'api-5c8d7b9f4-klmno' })).toBeVisible();
  // Evaluated, not a script tag: the GitLab page's CSP does not apply to the test's own code.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.getElementById('environment'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  });
  expect(violations).toEqual([]);
});

test('the tables filter by text and status and sort by column, moving rows without rebuilding them', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  const pods = env.getByRole('table', { name: 'Pods' });
  const worker = pods.locator('tr[data-name="worker-6b7c8d9e0-pqrst"]');
  await expect(worker).toContainText('CrashLoopBackOff');
  const shown = () => pods.locator('tbody tr.lo-vrow').evaluateAll((rows) => rows.filter((r) => !r.hidden).map((r) => r.dataset.name));
  const all = await shown();
  expect(all.length).toBeGreaterThan(2);
  await worker.evaluate((tr) => { tr.dataset.probe = 'same row'; });

  const search = env.getByRole('searchbox', { name: 'Filter pods' });
  await search.fill('worker');
  await expect.poll(shown).toEqual(['worker-6b7c8d9e0-pqrst']);
  await expect(env.locator('.lo-count').first()).toHaveText(`1 of ${all.length} (${all.length - 1} hidden by the filter)`);
  await search.fill('no-such-pod');
  await expect(env.getByText('No pods match the filter.')).toBeVisible();
  await env.getByRole('button', { name: 'Clear filter' }).click();
  await expect.poll(shown).toEqual(all);

  // A status chip keeps the rows of its tone.
  const failing = env.getByRole('group', { name: 'Status filter' }).first().getByRole('button', { name: /^Failing/ });
  await failing.click();
  await expect(failing).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await shown()).includes('worker-6b7c8d9e0-pqrst')).toBe(true);
  await expect.poll(async () => (await shown()).includes('web-7d9f8c6b5-abcde')).toBe(false);
  await failing.click();
  await expect.poll(shown).toEqual(all);

  // Name descending, then back: the same row elements, reordered.
  await pods.getByRole('button', { name: 'Name' }).click();
  await expect(pods.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(shown).toEqual([...all].reverse());
  await pods.getByRole('button', { name: 'Name' }).click();
  await expect.poll(shown).toEqual(all);
  await expect(worker).toHaveAttribute('data-probe', 'same row');
});

test('a pod opens in the drawer with its events and live log', async ({ page }) => {
  const requested = drawerRequests(page);
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="api-5c8d7b9f4-klmno"]')).toBeVisible();
  // Nothing of the drawer is loaded before the first click.
  expect(requested).toEqual([]);
  await env.getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).click();
  const drawer = env.getByRole('dialog', { name: 'Pod demo/api-5c8d7b9f4-klmno' });
  await expect(drawer).toBeVisible();
  expect(requested.some((u) => u.endsWith('/embed/drawer/lookout-drawer.js'))).toBe(true);
  expect(requested.some((u) => u.endsWith('/embed/drawer/lookout-drawer_bg.wasm'))).toBe(true);
  expect(new URL(page.url()).pathname).toBe('/embed-demo.html');
  await drawer.getByRole('tab', { name: 'Logs' }).click();
  await expect(drawer.locator('.lo-log__line').first()).toContainText('api: handled request');
  await drawer.getByRole('tab', { name: 'YAML' }).click();
  await expect(drawer.getByLabel('YAML')).toContainText('name: api-5c8d7b9f4-klmno');
  await drawer.getByRole('tab', { name: 'Events' }).click();
  await expect(drawer.getByRole('table')).toBeVisible();
  // A new theme of the widget recolours its open drawer (its own shadow root) too.
  const drawerBackground = () => env.locator('.lo-drawer-host').evaluate((host) =>
    getComputedStyle(host.shadowRoot.querySelector('.lo-widget__body')).backgroundColor);
  await env.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(drawerBackground).toBe('rgb(24, 23, 29)');
  await env.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(drawerBackground).toBe('rgb(255, 255, 255)');
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toHaveCount(0);
  // A service opens too; the bundle, loaded once, is not fetched again.
  const loads = requested.length;
  await env.getByRole('link', { name: 'web', exact: true }).click();
  await expect(env.getByRole('dialog', { name: 'Service demo/web' })).toBeVisible();
  expect(requested.length).toBe(loads);
});

test('changing an attribute re-targets the widget', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const env = page.locator('#environment');
  await expect(env.locator('tr[data-name="web-7d9f8c6b5-abcde"]')).toBeVisible();
  await env.evaluate((el) => el.setAttribute('namespace', 'kube-system'));
  await expect(env.locator('tr[data-name="coredns-5d78c9869d-x2x4q"]')).toBeVisible();
  await expect(env.locator('tr[data-name="web-7d9f8c6b5-abcde"]')).toHaveCount(0);
  const status = page.locator('#flux-status');
  await status.evaluate((el) => el.setAttribute('flux-resource', 'helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases/podinfo'));
  await expect(status.locator('.lo-sync__rev')).toHaveText(/^podinfo@/);
  // The theme attribute overrides the system's preference.
  const background = () => env.locator('.lo-widget__body').evaluate((el) => getComputedStyle(el).backgroundColor);
  await env.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(background).toBe('rgb(24, 23, 29)');
  await env.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(background).toBe('rgb(255, 255, 255)');
});

test('removing the widgets closes every watch', async ({ page, request }) => {
  await page.goto('/embed-demo.html');
  await expect(page.locator('#environment tr[data-name="web-7d9f8c6b5-abcde"]')).toBeVisible();
  await expect.poll(() => openWatches(request)).toBeGreaterThan(5);
  // The drawer's watches (the object, its events) close with the element too.
  const before = await openWatches(request);
  await page.locator('#environment').getByRole('link', { name: 'web-7d9f8c6b5-abcde' }).click();
  await expect(page.locator('#environment').getByRole('dialog')).toBeVisible();
  await expect.poll(() => openWatches(request)).toBeGreaterThan(before);
  await page.evaluate(() => {
    document.getElementById('environment').remove();
    document.getElementById('flux-status').remove();
    window.lookoutMounted.unmount();
  });
  await expect.poll(() => openWatches(request)).toBe(0);
  // A handle used after unmount() renders and watches nothing.
  await page.evaluate(() => window.lookoutMounted.set('flux-resource', 'kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps'));
  await page.waitForTimeout(300);
  expect(await openWatches(request)).toBe(0);
  expect(await page.locator('#mounted').evaluate((el) => el.shadowRoot?.childElementCount ?? 0)).toBe(0);
  // With no watch left, the KAS sockets close too (after a few seconds' grace), the drawer's
  // own (it is another wasm instance) included.
  await expect.poll(async () => (await dev(request, 'stats')).watchSockets, { timeout: 15_000 }).toBe(0);
});

test('an expired session shows a sign-in message, not a blank widget', async ({ page }) => {
  await page.goto('/embed-demo.html?session=expired');
  const panel = page.locator('#flux-status').getByRole('alert');
  await expect(panel).toContainText('Signed out', { timeout: 15_000 });
  await expect(panel).toContainText('Sign in to GitLab again');
  await expect(page.locator('#events')).toContainText('lookout-error flux-status: {"kind":"Signed out"');
});

test('an agent not shared with the user is refused as KAS does (401, Gitlab-Unauthorized)', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await status.evaluate((el) => el.setAttribute('agent-id', '3'));
  const panel = status.getByRole('alert');
  await expect(panel).toContainText('Signed out', { timeout: 15_000 });
  await expect(panel).toContainText('the agent is not shared with you');
  await expect(panel).toContainText('GitLab refused the credentials');
});

test('a malformed flux-resource is said in the widget and reported to the host page', async ({ page }) => {
  await page.goto('/embed-demo.html');
  const status = page.locator('#flux-status');
  await expect(status).toHaveAttribute('data-state', 'reconciled');
  await status.evaluate((el) => el.setAttribute('flux-resource', 'not-a-resource'));
  await expect(status.getByRole('alert')).toBeVisible();
  await expect(page.locator('#events')).toContainText('lookout-error flux-status: {"kind":"Settings"');
});
