// The pods page at scale, against its own lookout-dev `--scale 20000` (started here, stopped by
// PID, serving the build in dist/ or LOOKOUT_DIST; 20 ms of latency per API answer so the list's
// 41 pages take a while): the first rows show
// while the rest of the list arrives ("Loading: N of M"), the count reaches every pod, the filter
// and the sort give the right rows, and a pod changed during a storm of patches shows its change.
// With a pod group selected, the "Loading" line still counts every pod in.
import { test, expect, request as playwrightRequest } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { row, watchConsole } from './helpers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCALE = 20_000;

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let server;
let base;
let api;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(join(ROOT, 'target/debug/lookout-dev'), ['--port', String(port), '--gitlab-port', '0', '--dist', process.env.LOOKOUT_DIST || join(ROOT, 'dist'), '--scale', String(SCALE), '--latency-ms', '20'], {
    stdio: 'ignore',
  });
  api = await playwrightRequest.newContext({ baseURL: base });
  await expect
    .poll(async () => (await api.get('/k8s-proxy/api/v1/namespaces').catch(() => null))?.ok() ?? false, { timeout: 90_000 })
    .toBe(true);
  // The demo's story stands still: the number of pods stays what the test counted.
  expect((await api.post('/_dev/clock', { data: { paused: true } })).ok()).toBeTruthy();
});

test.afterAll(async () => {
  await api?.dispose();
  server?.kill();
});

/** Every pod the cluster holds. */
async function totalPods() {
  const list = await (await api.get('/k8s-proxy/api/v1/pods?limit=1')).json();
  return list.items.length + list.metadata.remainingItemCount;
}

async function patch(namespace, name, patch) {
  const res = await api.post('/_dev/patch', { data: { apiVersion: 'v1', kind: 'Pod', namespace, name, patch } });
  expect(res.ok(), await res.text()).toBeTruthy();
}

test('a pod group counts every pod in while the list arrives', async ({ page }) => {
  test.setTimeout(120_000);
  const console = watchConsole(page);
  const total = await totalPods();
  // At every animation frame while the list arrives: the progress line, the pods the summary
  // counts (every group's) and the rows the table shows (the selected group's).
  await page.addInitScript(() => {
    window.__samples = [];
    const sample = () => {
      const progress = document.querySelector('.lo-progress');
      if (progress && !progress.hidden && progress.textContent) {
        const counts = [...document.querySelectorAll('[aria-label="Pods by status"] .lo-chip__count')];
        window.__samples.push({
          progress: progress.textContent,
          pods: counts.reduce((sum, c) => sum + Number(c.textContent), 0),
          shown: Number(document.querySelector('.lo-count')?.textContent),
        });
      }
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await page.goto(`${base}/pods?group=Pending`);
  await expect(page.locator('[data-group="Pending"]')).toHaveAttribute('aria-pressed', 'true');
  // The line shows (it is hidden before the first page too), then leaves with the last page.
  await expect.poll(() => page.evaluate(() => window.__samples.length), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(page.locator('.lo-progress')).toBeHidden({ timeout: 60_000 });
  const samples = await page.evaluate(() => window.__samples);
  // The line counts all pods in, not the group's rows (far fewer: the scale pods all run).
  for (const { progress, pods } of samples) {
    expect(progress).toBe(`Loading: ${pods} of ${total} pods in, more arriving…`);
  }
  expect(samples.some(({ pods, shown }) => shown < pods)).toBeTruthy();
  console.check();
});

test('20,000 pods: first rows before the rest, then filter, sort and a storm', async ({ page }) => {
  test.setTimeout(120_000);
  const console = watchConsole(page);
  const total = await totalPods();
  expect(total).toBeGreaterThan(SCALE);
  // What the page showed when its first row appeared.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.querySelector('tr.lo-vrow')) return;
      window.__atFirstRow = {
        count: document.querySelector('.lo-count')?.textContent,
        progress: document.querySelector('.lo-progress')?.textContent,
      };
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${base}/pods`);
  await expect(page.locator('tr.lo-vrow').first()).toBeVisible();
  const atFirstRow = await page.evaluate(() => window.__atFirstRow);
  expect(Number(atFirstRow.count)).toBeLessThan(total);
  expect(atFirstRow.progress).toMatch(new RegExp(`^Loading: \\d+ of ${total} pods in, more arriving`));
  await expect(page.locator('.lo-count')).toHaveText(String(total), { timeout: 60_000 });
  await expect(page.locator('.lo-progress')).toBeHidden();

  // Filter: svc-17-000117 and svc-17-000167 are the only names with "svc-17-0001".
  const filter = page.getByLabel('Filter pods');
  await filter.fill('svc-17-0001');
  await expect(page.locator('.lo-count')).toHaveText(`2 of ${total} (${total - 2} hidden by the filter)`);
  await expect(page.locator('tr.lo-vrow')).toHaveCount(2);
  await expect(row(page, 'svc-17-000117')).toBeVisible();
  await expect(row(page, 'svc-17-000167')).toBeVisible();
  await filter.fill('');
  await expect(page.locator('.lo-count')).toHaveText(String(total));

  // Sort by restarts, most first: the rows shown go down.
  const restarts = page.getByRole('button', { name: 'Restarts' });
  await restarts.click();
  await restarts.click();
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('Restarts');
  const column = await page.locator('thead th').allTextContents();
  const at = column.findIndex((t) => t.startsWith('Restarts'));
  const values = (await page.locator(`tr.lo-vrow > :nth-child(${at + 1})`).allTextContents()).map(Number);
  expect(values.length).toBeGreaterThan(5);
  expect(values).toEqual([...values].sort((a, b) => b - a));
  expect(values[0]).toBeGreaterThan(values[values.length - 1]);

  // A storm of patches over the scale pods; one shown pod gets a new restart count meanwhile.
  await filter.fill('svc-3-000003');
  await expect(row(page, 'svc-3-000003')).toBeVisible();
  const storm = [];
  for (let i = 0; i < 1500; i++) {
    const n = (i * 7919) % SCALE;
    const ns = `scale-${String(Math.floor(n / 1000)).padStart(3, '0')}`;
    storm.push(patch(ns, `svc-${n % 50}-${String(n).padStart(6, '0')}`, { metadata: { labels: { storm: String(i) } } }));
    if (i === 700) {
      storm.push(
        patch('scale-000', 'svc-3-000003', {
          status: { containerStatuses: [{ name: 'main', ready: true, restartCount: 77, state: { running: {} } }] },
        }),
      );
    }
    if (storm.length >= 30) await Promise.all(storm.splice(0));
  }
  await Promise.all(storm);
  await expect(row(page, 'svc-3-000003').locator(`:nth-child(${at + 1})`)).toHaveText('77');
  await filter.fill('');
  await expect(page.locator('.lo-count')).toHaveText(String(total));
  console.check();
});
