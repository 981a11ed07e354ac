// Hidden tabs and sleeping laptops (issue 15). A hidden tab runs no animation frames (emulated
// here: requestAnimationFrame callbacks wait while the page says it is hidden, as Chromium's do):
// through ten story minutes of churn its memory stays bounded, and once shown it catches up
// within a second. A page frozen while the server forgot its history (a laptop asleep: no timer,
// no task) resumes with one relist per watched resource, not a storm, and stays live.
import { test, expect } from '@playwright/test';
import { dev, listed, memory, pod, tableRows, trackWasmMemory } from './helpers.mjs';

/** Makes the page able to play a hidden tab: `window.__tab.set(true|false)`. */
function hiddenTabEmulation() {
  const raf = window.requestAnimationFrame.bind(window);
  const tab = { hidden: false, queued: [] };
  window.requestAnimationFrame = (cb) => {
    if (!tab.hidden) return raf(cb);
    tab.queued.push(cb);
    return 0;
  };
  Object.defineProperty(document, 'visibilityState', { get: () => (tab.hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { get: () => tab.hidden });
  tab.set = (hidden) => {
    tab.hidden = hidden;
    document.dispatchEvent(new Event('visibilitychange'));
    if (!hidden) tab.queued.splice(0).forEach((cb) => raf(cb));
  };
  window.__tab = tab;
}

const podRef = (name) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'demo', name });

test('a tab hidden through ten minutes of churn keeps bounded memory and catches up within a second', async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.addInitScript(hiddenTabEmulation);
  await trackWasmMemory(page);
  const cdp = await page.context().newCDPSession(page);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto('/pods?namespace=demo');
  await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
  const before = await memory(page, cdp);
  const rowsBefore = await page.locator('table[aria-label="Pods"]').getAttribute('aria-rowcount');
  await page.evaluate(() => window.__tab.set(true));
  const names = Array.from({ length: 40 }, (_, i) => `hidden-${Date.now()}-${i}`);
  try {
    // Ten story minutes; 40 pods come, 30 of them go again, each changed on the way.
    for (let minute = 0; minute < 10; minute++) {
      await dev(request, 'clock', { advance: 60 });
      for (const name of names.slice(minute * 4, minute * 4 + 4)) await dev(request, 'create', pod('demo', name, 'Pending'));
      for (const name of names.slice(0, minute * 4)) {
        await dev(request, 'patch', { ...podRef(name), patch: { status: { phase: minute % 2 ? 'Running' : 'Pending' } } });
      }
    }
    for (const name of names.slice(0, 30)) await dev(request, 'delete', podRef(name));
    await dev(request, 'clock', { paused: true });
    const hidden = await memory(page, cdp);
    const want = await listed(request, '/api/v1/namespaces/demo/pods');
    const count = Object.keys(want).length;
    // No frame ran while hidden: the table still shows the pods from before.
    expect(await page.locator('table[aria-label="Pods"]').getAttribute('aria-rowcount')).toBe(rowsBefore);
    // Shown again: the table holds the cluster's pods within a second (frames run again).
    const ms = await page.evaluate(async (count) => {
      const table = document.querySelector('table[aria-label="Pods"]');
      const t0 = performance.now();
      window.__tab.set(false);
      while (table.getAttribute('aria-rowcount') !== String(count + 1)) {
        if (performance.now() - t0 > 5000) return -1;
        await new Promise((r) => requestAnimationFrame(r));
      }
      return performance.now() - t0;
    }, count);
    const shown = await tableRows(page, 'Pods');
    expect(Object.keys(shown).sort()).toEqual(Object.keys(want).sort());
    const mb = (b) => (b / 1048576).toFixed(1);
    console.log(`hidden tab: caught up with ${count} pods in ${ms.toFixed(0)} ms; JS heap ${mb(before.js)} → ${mb(hidden.js)} MB, wasm ${mb(before.wasm)} → ${mb(hidden.wasm)} MB while hidden`);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(1000);
    expect(hidden.js).toBeLessThan(before.js + 8 * 1048576);
    expect(hidden.wasm).toBeLessThan(before.wasm + 8 * 1048576);
  } finally {
    await dev(request, 'clock', { paused: false });
    for (const name of names) await request.post('/_dev/delete', { data: podRef(name) });
  }
});

for (const transport of ['ws', 'http']) {
  test(`a page frozen while the server forgot its history resumes with one relist per resource (${transport})`, async ({ page, request }) => {
    test.setTimeout(60_000);
    const cdp = await page.context().newCDPSession(page);
    // What the page asks for after waking, per resource: requests (HTTP lists and watches, and
    // watches sent over the socket), and of those the relists (a list, or a watch that starts
    // with the initial events).
    const asked = [];
    const relists = [];
    const note = (path, relist) => {
      asked.push(path);
      if (relist) relists.push(path);
    };
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!url.pathname.startsWith('/k8s-proxy/api')) return;
      const q = url.searchParams;
      note(url.pathname.replace(/^\/k8s-proxy/, ''), q.get('watch') !== 'true' || q.get('sendInitialEvents') === 'true');
    });
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => {
      const msg = JSON.parse(String(payload));
      const p = msg.watchParams;
      if (msg.type !== 'watch') return;
      const path = `${p.group ? `/apis/${p.group}` : '/api'}/${p.version}${p.namespace ? `/namespaces/${p.namespace}` : ''}/${p.resource}`;
      note(path, p.sendInitialEvents === true || p.sendInitialEvents === 'true');
    }));
    await page.goto(`/pods?namespace=demo&transport=${transport}`);
    await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
    await page.waitForTimeout(500);
    asked.length = 0;
    relists.length = 0;
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    const name = `asleep-${transport}-${Date.now()}`;
    try {
      // Asleep: the world moves on, the server's history is compacted and connections drop.
      await dev(request, 'create', pod('demo', name, 'Running'));
      await dev(request, 'compact');
      await dev(request, 'drop-watches');
      await new Promise((r) => setTimeout(r, 3000));
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await expect(page.locator(`tr[data-name="${name}"]`)).toBeVisible({ timeout: 15_000 });
      await expect(page.locator('.lo-conn')).toHaveAttribute('data-state', 'live');
      await page.waitForTimeout(3000);
      const count = (paths) => paths.reduce((m, p) => ({ ...m, [p]: (m[p] ?? 0) + 1 }), {});
      const perPath = count(asked);
      const relisted = count(relists);
      console.log(`frozen page (${transport}): after waking, requests ${JSON.stringify(perPath)}, relists ${JSON.stringify(relisted)}`);
      // Per resource: the resume that meets 410, one relist, the watch that follows.
      for (const [path, n] of Object.entries(relisted)) expect(n, `${path} relisted ${n} times`).toBeLessThanOrEqual(1);
      for (const [path, n] of Object.entries(perPath)) expect(n, `${path} asked ${n} times`).toBeLessThanOrEqual(3);
      expect(Object.keys(perPath).length).toBeGreaterThan(0);
      // Still live afterwards.
      await dev(request, 'delete', podRef(name));
      await expect(page.locator(`tr[data-name="${name}"]`)).toHaveCount(0);
    } finally {
      await request.post('/_dev/delete', { data: podRef(name) });
    }
  });
}
