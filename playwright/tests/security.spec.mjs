// Security checks a user (or an attacker) would notice: no credential leaks into a URL, browser
// storage, the DOM, a console line or the devserver's log; hostile log lines and hostile object
// fields render as inert, visible text.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dev, pod } from './helpers.mjs';

// The demo's credentials: lookout-dev's defaults (devserver/src/kas.rs, `--pat`, `--session`).
const PAT = 'lookout-dev-token';
const SESSION = 'lookout-dev-session';
const CSRF = 'lookout-dev-csrf';
// scripts/test writes the devserver's output here (relative to playwright/).
const DEVSERVER_LOG = process.env.LOOKOUT_LOG || '../target/lookout-dev-e2e.log';
const KAS_ORIGIN = new URL(process.env.LOOKOUT_URL).origin;
const APPS = 'kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps';

/** Every string `secrets` holds that occurs in one of `haystacks` ([label, text] pairs). */
function leaks(haystacks, secrets) {
  return haystacks.flatMap(([label, text]) =>
    secrets.filter((s) => String(text).includes(s)).map((s) => `${s} in ${label}: ${String(text).slice(0, 300)}`));
}

/** The page origin's own storage and the DOM it shows (shadow roots included), as strings. */
function originState(page) {
  return page.evaluate(async () => {
    const out = [['document.cookie', document.cookie]];
    for (const [name, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < store.length; i++) out.push([name, `${store.key(i)}=${store.getItem(store.key(i))}`]);
    }
    const ask = (r) => new Promise((ok, fail) => { r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    for (const { name } of await indexedDB.databases()) {
      const db = await ask(indexedDB.open(name));
      for (const store of db.objectStoreNames) {
        const tx = db.transaction(store).objectStore(store);
        out.push([`indexedDB ${name}/${store}`, JSON.stringify([await ask(tx.getAllKeys()), await ask(tx.getAll())])]);
      }
      db.close();
    }
    for (const name of self.caches ? await caches.keys() : []) {
      const cache = await caches.open(name);
      out.push([`cache ${name}`, (await cache.keys()).map((r) => r.url).join(' ')]);
    }
    const roots = [document.body, ...[...document.querySelectorAll('*')].map((e) => e.shadowRoot).filter(Boolean)];
    out.push(['DOM', roots.map((r) => r.innerHTML).join('\n')]);
    return out;
  });
}

/** Traps every sign that injected markup ran (a `__pwned` call, a dialog, a console line naming it);
 *  call the returned check at the end. */
async function trapInjections(page) {
  await page.addInitScript(() => { window.__pwned = (n) => (window.__pwnedCalls ||= []).push(n); });
  const fired = [];
  page.on('dialog', (d) => { fired.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('console', (m) => { if (m.text().includes('__pwned')) fired.push(`console: ${m.text()}`); });
  return async () => expect([...fired, ...await page.evaluate(() => window.__pwnedCalls ?? [])]).toEqual([]);
}

test('no credential in any URL, storage, DOM, console line or the devserver log', async ({ browser, page, context }) => {
  const urls = [];
  const consoleLines = [];
  const pending = [];
  const wsTokens = [];
  const credentialed = []; // [origin + path, header] of requests that carry a credential header
  const record = (p) => {
    p.on('console', (m) => consoleLines.push(m.text()));
    p.on('pageerror', (e) => consoleLines.push(e.message));
    p.on('websocket', (ws) => urls.push(ws.url()));
    p.on('request', (r) => {
      urls.push(r.url());
      pending.push(r.allHeaders().then((h) => {
        for (const name of ['authorization', 'x-csrf-token']) {
          if (h[name]) credentialed.push([new URL(r.url()).origin + new URL(r.url()).pathname, `${name}: ${h[name]}`]);
        }
      }).catch(() => {}));
    });
    p.on('response', (r) => {
      if (r.url().includes('kas-websocket-token-request')) {
        pending.push(r.json().then((j) => wsTokens.push(j.token)).catch(() => {}));
      }
    });
  };
  record(page);

  // The widgets on the GitLab stand-in: the session cookie and the page's CSRF token…
  await page.goto('/embed-demo.html');
  await expect(page.locator('#flux-status .lo-status')).toHaveText('Reconciled');
  expect(await page.locator('meta[name=csrf-token]').getAttribute('content')).toBe(CSRF);
  const session = (await context.cookies()).find((c) => c.name === '_gitlab_kas');
  expect(session?.value).toBe(SESSION);
  expect(session?.httpOnly).toBe(true);
  // …a pod's log in the drawer…
  const env = page.locator('#environment');
  await env.getByRole('link', { name: 'api-5c8d7b9f4-klmno' }).click();
  const drawer = env.getByRole('dialog', { name: 'Pod demo/api-5c8d7b9f4-klmno' });
  await drawer.getByRole('tab', { name: 'Logs' }).click();
  await expect(drawer.locator('.lo-log__line').first()).toContainText('api: handled request');
  // …and a widget mounted with a personal access token (given to mount() only).
  await page.evaluate(async ({ token, resource }) => {
    const { default: init, mount } = await import('/embed/flux-status/lookout-flux-status.js');
    await init();
    const el = document.createElement('div');
    el.id = 'pat-mounted';
    document.querySelector('main').append(el);
    const kasUrl = document.getElementById('flux-status').getAttribute('kas-url');
    window.patMounted = mount(el, { kasUrl, agentId: 1, auth: 'pat', token, fluxResource: resource });
  }, { token: PAT, resource: APPS });
  await expect(page.locator('#pat-mounted .lo-status')).toHaveText('Reconciled');
  const gitlabState = await originState(page);

  // The SPA, in a browser of its own: both origins share the host 127.0.0.1, and cookies ignore
  // ports, so here the GitLab session would reach the SPA's KAS (which then wants an agent id).
  const spaContext = await browser.newContext({ baseURL: process.env.LOOKOUT_URL });
  const spa = await spaContext.newPage();
  record(spa);
  // Lists, a detail page with its YAML, a live log, over both transports.
  await spa.goto('/pods?namespace=demo');
  await expect(spa.locator('tr[data-name="api-5c8d7b9f4-klmno"]')).toBeVisible();
  await spa.goto('/flux?transport=http');
  await expect(spa.locator('tr[data-kind="Kustomization"][data-name="apps"]')).toBeVisible();
  await spa.goto('/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/apps?tab=yaml');
  await expect(spa.getByLabel('YAML')).toContainText('name: apps');
  await spa.goto('/logs?namespace=demo&pod=api-5c8d7b9f4-klmno');
  await expect(spa.locator('.lo-log__line').first()).toContainText('api: handled request');
  const appState = await originState(spa);
  await spa.goto('about:blank');
  await page.goto('about:blank');
  await Promise.all(pending);

  // The scan saw what it must: requests, sockets, both credentials in use, one-time socket tokens.
  expect(urls.filter((u) => u.includes('/k8s-proxy/')).length).toBeGreaterThan(20);
  expect(urls.filter((u) => u.startsWith('ws')).length).toBeGreaterThan(0);
  expect(wsTokens.length).toBeGreaterThan(0);
  expect(wsTokens.every((t) => typeof t === 'string' && t.length >= 16)).toBe(true);
  expect(credentialed.some(([, h]) => h === `authorization: Bearer pat:1:${PAT}`)).toBe(true);
  expect(credentialed.some(([, h]) => h === `x-csrf-token: ${CSRF}`)).toBe(true);
  // Credential headers go to the KAS only.
  expect(credentialed.filter(([to]) => !to.startsWith(`${KAS_ORIGIN}/k8s-proxy/`))).toEqual([]);

  const log = readFileSync(DEVSERVER_LOG, 'utf8');
  expect(log).toContain('lookout-dev: serving');
  const otherCookies = [...await context.cookies(), ...await spaContext.cookies()].filter((c) => c.name !== '_gitlab_kas');
  await spaContext.close();
  const secrets = [PAT, SESSION, CSRF, ...wsTokens];
  expect(leaks([
    ...urls.map((u) => ['URL', u]),
    ...consoleLines.map((l) => ['console', l]),
    ...gitlabState.map(([k, v]) => [`GitLab page ${k}`, v]),
    ...appState.map(([k, v]) => [`app ${k}`, v]),
    ...otherCookies.map((c) => [`cookie ${c.name}`, c.value]),
    ['devserver log', log],
  ], secrets)).toEqual([]);
});

test('log lines with terminal escapes render as plain, visible, selectable text', async ({ page, request }) => {
  const name = `escapes-${Date.now().toString(36)}`;
  const text = [
    '\x1b[1;31mERROR\x1b[0m disk full',
    'see \x1b]8;;javascript:__pwned(1)\x07the docs\x1b]8;;\x1b\\ now',
    'progress 10%\rprogress 100%',
    'password: hunter2\b\b\b\b\b\b\b*******',
    'invoice_\u202Etxt.exe',
    'bell\x07 and stray \x1b(0 escape',
    '<b>bold?</b> <img src=x onerror=__pwned(2)>',
  ];
  const p = pod('demo', name, 'Running');
  p.metadata.annotations = { 'lookout-dev/log': `${text.join('\n')}\n` };
  await dev(request, 'create', p);
  try {
    const nothingRan = await trapInjections(page);
    await page.goto(`/logs?namespace=demo&pod=${name}`);
    const lines = page.locator('.lo-log__line');
    await expect(lines).toHaveCount(text.length);
    // Colours and hyperlinks are dropped (their text kept); other controls show as symbols.
    expect(await lines.allTextContents()).toEqual([
      'ERROR disk full',
      'see the docs now',
      'progress 10%␍progress 100%',
      'password: hunter2␈␈␈␈␈␈␈*******',
      'invoice_⟨U+202E⟩txt.exe',
      'bell␇ and stray ␛(0 escape',
      '<b>bold?</b> <img src=x onerror=__pwned(2)>',
    ]);
    const shown = await page.locator('.lo-log__lines').textContent();
    expect(shown).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    // No element came from a line (no link, image or bold), nothing ran.
    expect(await page.locator('.lo-log__lines').evaluate((el) => el.querySelectorAll('.lo-log__line *').length)).toBe(0);
    await nothingRan();
    // Text stays selectable and copies as shown.
    const selected = await lines.first().evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return [getComputedStyle(el).userSelect, getSelection().toString()];
    });
    expect(selected[0]).not.toBe('none');
    expect(selected[1]).toBe('ERROR disk full');
    // Search matches the shown text.
    await page.getByLabel('Search').fill('docs');
    await expect(lines).toHaveCount(1);
    await expect(lines.first().locator('mark')).toHaveText('docs');
    // Download keeps the raw bytes.
    await page.getByLabel('Search').fill('');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
    const raw = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
    expect(raw).toContain('\x1b[1;31mERROR');
  } finally {
    await dev(request, 'delete', { apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });
  }
});

test('markup in object fields renders as text in the YAML and graph tabs', async ({ page, request }) => {
  const img = '<img src=x onerror=__pwned(1)>';
  const script = '<script>__pwned(2)</script>';
  const svg = '"><svg onload=__pwned(3)>';
  const name = `hostile-${Date.now().toString(36)}`;
  const base = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' };
  // Names are validated: markup cannot become an object's name, so no node label can carry it.
  const refused = await request.post('/_dev/create', { data: { ...base, metadata: { name: img, namespace: 'flux-system' }, spec: {} } });
  expect(refused.status()).toBe(422);
  await dev(request, 'create', {
    ...base,
    metadata: {
      name,
      namespace: 'flux-system',
      labels: { 'app.kubernetes.io/part-of': 'hostile' },
      annotations: { 'example.com/img': img, 'example.com/script': script, 'example.com/svg': svg },
    },
    spec: {
      interval: '10m',
      path: `./${img}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      dependsOn: [{ name: svg }, { name: 'infrastructure', namespace: script }],
    },
  });
  try {
    const nothingRan = await trapInjections(page);
    const injected = () => page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], body script').length);

    await page.goto(`/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/flux-system/${name}?tab=yaml`);
    const yaml = page.getByLabel('YAML');
    for (const value of [img, script, '<svg onload=__pwned(3)>']) await expect(yaml).toContainText(value);
    expect(await injected()).toBe(0);

    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.locator('.lo-graph__node[data-current="true"]')).toHaveAttribute('data-name', name);
    const missing = page.getByRole('status').filter({ hasText: 'Missing:' });
    await expect(missing).toContainText(`Kustomization flux-system/${svg}`);
    await expect(missing).toContainText(`Kustomization ${script}/infrastructure`);
    expect(await injected()).toBe(0);
    await nothingRan();
  } finally {
    await dev(request, 'delete', { ...base, namespace: 'flux-system', name });
  }
});
