// Shared test helpers: the dev control endpoints and a console-error guard.
import { expect } from '@playwright/test';

/** Calls a lookout-dev control endpoint (`/_dev/<action>`) and returns its JSON answer. */
export async function dev(request, action, body = {}) {
  const res = await request.post(`/_dev/${action}`, { data: body });
  expect(res.ok(), `/_dev/${action} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return res.json();
}

/** A pod object as the simulated cluster takes it. */
export function pod(namespace, name, phase, containers = [{ name: 'main', ready: phase === 'Running', restartCount: 0 }]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c.name, image: 'example/app:1' })) },
    status: {
      phase,
      containerStatuses: containers.map((c) => ({ name: c.name, ready: c.ready, restartCount: c.restartCount, state: { running: {} } })),
    },
  };
}

/** Collects page errors and console errors; call `check()` at the end of a test. */
export function watchConsole(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { check: () => expect(errors).toEqual([]), errors };
}

/** The row of a pod in the pods table. */
export function row(page, name) {
  return page.locator(`tr[data-name="${name}"]`);
}

/** Keeps the app's wasm memory reachable for [`memory`]: call before the page loads. */
export async function trackWasmMemory(page) {
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => (window.__wasmMemory = e.detail.wasm.memory));
  });
}

/** Bytes in use after a full collection: the JS heap, and the wasm linear memory. */
export async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const h = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  expect(wasm, 'trackWasmMemory(page) before the page loads').toBeGreaterThan(0);
  return { js: h.usedSize, wasm };
}

/** Every row of the virtualized table, scrolled through: `namespace/name` → {header: text}. */
export async function tableRows(page, label) {
  const table = page.locator(`table[aria-label="${label}"]`);
  await expect(table).toBeVisible();
  return table.evaluate(async (t) => {
    const scroller = t.closest('.lo-vscroll');
    const headers = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const rows = {};
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let top = 0; ; top += Math.max(50, scroller.clientHeight / 2)) {
      scroller.scrollTop = top;
      await frame();
      for (const tr of t.querySelectorAll('tbody tr[data-name]')) {
        const cells = {};
        [...tr.children].forEach((c, i) => (cells[headers[i]] = c.textContent.trim()));
        rows[`${tr.dataset.namespace}/${tr.dataset.name}`] = cells;
      }
      if (top + scroller.clientHeight >= scroller.scrollHeight) break;
    }
    scroller.scrollTop = 0;
    return rows;
  });
}

/** The cluster's objects of `path`, keyed `namespace/name`. */
export async function listed(request, path) {
  const res = await request.get(`/k8s-proxy${path}`);
  expect(res.ok(), `GET ${path}: ${res.status()}`).toBeTruthy();
  const list = await res.json();
  return Object.fromEntries(list.items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
}
