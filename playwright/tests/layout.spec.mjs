// Long text never breaks a layout: at 1400 and 900 px, no cell's content runs into its
// neighbour, the last column is inside the viewport and its scroll container, and cards and fact
// lists keep their text inside. Objects with very long names, messages and revisions are created
// for the test and deleted after it.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

const NS = 'layout-e2e';
const LONG_WORD = 'x'.repeat(30) + '/' + 'averyveryverylongpathsegmentwithoutanyspaces'.repeat(3);
const LONG_MESSAGE = `kustomize build failed: accumulating resources from '${LONG_WORD}': ` +
  'evalsymlink failure on the file because it does not exist in the source artifact '.repeat(4);
const KS = 'layout-kustomization-with-a-rather-long-name-for-the-test';
const POD = 'layout-pod-with-a-very-long-name-0123456789-abcdefghijkl';
const REVISION = `refs/heads/feature/${'long-branch-name-'.repeat(4)}@sha1:${'f'.repeat(40)}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const objects = () => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
    metadata: { name: KS, namespace: NS },
    spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system-with-a-long-source-name', namespace: 'flux-system' } },
    status: {
      observedGeneration: 1, lastAppliedRevision: REVISION, lastAttemptedRevision: REVISION,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'BuildFailedBecauseOfAVeryLongReasonWord', message: LONG_MESSAGE, lastTransitionTime: now() },
        { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: LONG_WORD, lastTransitionTime: now() },
      ],
    },
  },
  {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `layout.${Date.now()}`, namespace: NS },
    involvedObject: { kind: 'Kustomization', name: KS, namespace: NS },
    type: 'Warning', reason: 'ReconciliationFailedWithAVeryLongReason', message: LONG_MESSAGE,
    count: 7, lastTimestamp: now(),
  },
  {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: POD, namespace: NS },
    spec: { nodeName: 'node-with-a-long-name-in-a-large-cluster-pool-7f9c', containers: [{ name: 'app-container-with-a-long-name', image: `registry.example.com/${LONG_WORD}:1.0` }] },
    status: {
      phase: 'Running', podIP: '10.244.3.9', qosClass: 'BestEffort',
      containerStatuses: [{ name: 'app-container-with-a-long-name', ready: false, restartCount: 3,
        state: { waiting: { reason: 'CreateContainerConfigError', message: LONG_MESSAGE } } }],
    },
  },
];

const ref = (o) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
let created = [];

test.beforeAll(async ({ request }) => {
  created = objects();
  for (const o of created) await dev(request, 'create', o);
});

test.afterAll(async ({ request }) => {
  for (const o of created.reverse()) await dev(request, 'delete', ref(o));
});

/** Every overlap, overflow and cut-off column of the tables, cards and fact lists on the page. */
function layoutProblems() {
  const problems = [];
  const label = (el) => `${el.closest('table, .lo-card, .lo-flux-card, .lo-container, dl')?.getAttribute('aria-label') ?? el.tagName} ${el.closest('tr')?.getAttribute('data-name') ?? ''} "${el.textContent.trim().slice(0, 40)}"`;
  // The part of `rect` left visible by the clipping ancestors of `el` up to `stop`.
  const visible = (rect, el, stop) => {
    let { left, right } = rect;
    for (let a = el; a && a !== stop.parentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') {
        const b = a.getBoundingClientRect();
        left = Math.max(left, b.left);
        right = Math.min(right, b.right);
      }
    }
    return { left, right };
  };
  // The horizontal extent of what a cell shows: its text and its controls, as clipped.
  const content = (cell) => {
    let left = Infinity;
    let right = -Infinity;
    const add = (rect, el) => {
      if (!rect.width) return;
      const r = visible(rect, el, cell);
      if (r.right <= r.left) return;
      left = Math.min(left, r.left);
      right = Math.max(right, r.right);
    };
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const rect of range.getClientRects()) add(rect, n.parentElement);
    }
    for (const el of cell.querySelectorAll('button, input, .lo-status')) add(el.getBoundingClientRect(), el);
    return { left, right };
  };
  const scroller = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return a;
    }
    return null;
  };
  for (const table of document.querySelectorAll('table')) {
    if (!table.getBoundingClientRect().width) continue;
    const box = scroller(table)?.getBoundingClientRect();
    for (const row of table.querySelectorAll('tr')) {
      const cells = [...row.children].filter((c) => c.getBoundingClientRect().width > 0);
      cells.forEach((cell, i) => {
        const c = content(cell);
        if (c.left === Infinity) return;
        const next = cells[i + 1]?.getBoundingClientRect();
        const prev = cells[i - 1]?.getBoundingClientRect();
        if (next && c.right > next.left + 1) problems.push(`overlaps the next cell: ${label(cell)}`);
        if (prev && c.left < prev.right - 1) problems.push(`overlaps the previous cell: ${label(cell)}`);
      });
      const last = cells.at(-1)?.getBoundingClientRect();
      if (!last || cells.length < 2) continue;
      if (last.right > window.innerWidth + 1) problems.push(`last column past the viewport (${last.right} > ${window.innerWidth}): ${label(cells.at(-1))}`);
      if (box && last.right > box.right + 1) problems.push(`last column cut off by its container (${last.right} > ${box.right}): ${label(cells.at(-1))}`);
    }
  }
  for (const el of document.querySelectorAll('.lo-card, .lo-flux-card, .lo-container, .lo-facts > dd, .lo-page')) {
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`text wider than its box (${el.scrollWidth} > ${el.clientWidth}): ${label(el)}`);
  }
  return problems;
}

const pages = [
  ['/flux', `tr[data-name="${KS}"]`],
  ['/events', 'tr[data-reason="ReconciliationFailedWithAVeryLongReason"]'],
  [`/pods?namespace=${NS}`, `tr[data-name="${POD}"]`],
  [`/r/kustomize.toolkit.fluxcd.io/v1/Kustomization/${NS}/${KS}`, 'tr[data-type="Ready"]'],
  [`/r/core/v1/Pod/${NS}/${POD}`, '.lo-container'],
  ['/', '.lo-card'],
];

for (const width of [1400, 900]) {
  test(`long text neither overlaps nor cuts off a column at ${width} px`, async ({ page }) => {
    const console = watchConsole(page);
    await page.setViewportSize({ width, height: 900 });
    for (const [path, ready] of pages) {
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeVisible();
      expect(await page.evaluate(layoutProblems), `${path} at ${width} px`).toEqual([]);
    }
    await page.goto('/flux');
    await page.screenshot({ path: `test-results/layout/flux-${width}.png`, fullPage: true });
    console.check();
  });
}

test('clipped text is whole on hover and on keyboard focus', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto('/flux');
  const revision = page.locator(`tr[data-name="${KS}"] .lo-clip`).first();
  await expect(revision).toHaveAttribute('title', REVISION);
  const before = await revision.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(before, 'the revision is clipped at 900 px').toBe(true);
  await revision.focus();
  await expect(revision).toBeFocused();
  expect(await revision.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'focused, the whole revision shows').toBe(true);
});
