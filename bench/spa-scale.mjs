// Scenario 8 of scripts/bench: the SPA at 100,000 pods. One lookout-dev `--scale 100000` serves
// the real app's `/pods` and, at the same origin, the plain-JS baseline page
// (bench/scale-baseline.js: the same paginated list and watch, a Map, a virtualized table,
// filter and sort over an array, a palette). Each repetition loads each side in a fresh browser
// context (alternating which goes first) and measures, in the page: navigation → first rows
// painted, → every pod in (the count shows the total), filter keystrokes → rows painted, sort
// clicks → painted, a 1,000 events/s storm of pod patches through `POST /_dev/patch` (frames,
// dropped frames, long tasks) and the palette (Ctrl+K → results painted, a keystroke → results).
// Writes target/bench/parts/spa-scale.json.
//
// Env: BENCH_SPA_URL (the lookout-dev), BENCH_QUICK=1 for one repetition and a 3 s storm,
// BENCH_ONLY (ids, as for bench/browser.mjs: runs only when it names 8).
import { createRequire } from 'node:module';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, QUICK, median, minMax, ratios, row, fmt, writePart, log, jsonRequest } from './lib.mjs';

const only = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
if (only.length && !only.includes('8')) process.exit(0);

const require = createRequire(join(ROOT, 'playwright', 'package.json'));
const { chromium } = require('playwright');

const BASE = process.env.BENCH_SPA_URL;
if (!BASE) throw new Error('BENCH_SPA_URL is not set: run through scripts/bench');
const REPS = QUICK ? 1 : 3;
const STORM_REPS = QUICK ? 1 : 2;
const STORM_SECONDS = QUICK ? 3 : 10;
const STORM_RATE = 1000;
const QUERIES = ['svc-17', '000123', 'crashloop'];
const SORTS = ['Restarts', 'Status', 'Name'];
const BASELINE_PATH = '/__spa_scale_baseline';

/** What each side's page calls the things the driver looks for. */
const SIDES = {
  lookout: {
    path: '/pods',
    rows: 'tr.lo-vrow',
    count: '.lo-count',
    progress: '.lo-progress',
    filter: 'input[aria-label="Filter pods"]',
    sort: 'button.lo-sort',
    results: '#lo-palette-results li',
    paletteInput: '.lo-palette input',
  },
  baseline: {
    path: BASELINE_PATH,
    rows: 'tr.row',
    count: '.count',
    progress: '.progress',
    filter: 'input[aria-label="Filter pods"]',
    sort: 'th button',
    results: '#palette-results li',
    paletteInput: '[role=dialog] input',
  },
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const request = (method, path, body) => jsonRequest(BASE, agent, method, path, body);

/** Every pod of the cluster (the count the tables must reach). */
async function totalPods() {
  const r = JSON.parse((await request('GET', '/k8s-proxy/api/v1/pods?limit=1')).body);
  return r.items.length + (r.metadata.remainingItemCount || 0);
}

/**
 * `rate` pod patches per second for `seconds` through `POST /_dev/patch` (a label with the
 * patch's number), spread over the scale namespaces; resolves with the patches answered.
 */
async function stormOfPatches(seconds, rate) {
  const start = Date.now();
  let sent = 0;
  let failed = 0;
  const inflight = new Set();
  while (Date.now() - start < seconds * 1000) {
    const due = Math.floor(((Date.now() - start) * rate) / 1000);
    while (sent < due) {
      const i = (sent * 7919) % 100_000;
      const namespace = `scale-${String(Math.floor(i / 1000)).padStart(3, '0')}`;
      const name = `svc-${i % 50}-${String(i).padStart(6, '0')}`;
      const patch = { metadata: { labels: { storm: String(sent) } } };
      const p = request('POST', '/_dev/patch', { apiVersion: 'v1', kind: 'Pod', namespace, name, patch }).then((r) => {
        if (r.status !== 200) failed++;
      });
      sent++;
      inflight.add(p);
      p.finally(() => inflight.delete(p));
      if (inflight.size >= 48) await Promise.race(inflight);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  return { sent, failed, ms: Date.now() - start };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const baselineHtml =
  '<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head><body>' +
  `<script>${readFileSync(join(BENCH_DIR, 'scale-baseline.js'), 'utf8')}</script></body></html>`;

// In-page helpers (installed before each page's scripts).
function installProbes() {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  window.__painted = async () => {
    await frame();
    await frame();
    await new Promise((r) => setTimeout(r, 0));
  };
  window.__waitFor = async (test, limitMs) => {
    const t0 = performance.now();
    while (!test()) {
      if (performance.now() - t0 > limitMs) return false;
      await frame();
    }
    return true;
  };
}

/** One load of one side: every measurement in a fresh context. */
async function measure(side, total, withStorm) {
  const s = SIDES[side];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(BASE + BASELINE_PATH, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: baselineHtml }));
  await context.addInitScript(installProbes);
  const page = await context.newPage();
  page.setDefaultTimeout(180_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const out = { side };
  try {
    await page.goto(BASE + s.path, { waitUntil: 'commit' });
    // performance.now() counts from the navigation's start.
    out.firstRows = await (await page.waitForFunction((sel) => document.querySelector(sel) && performance.now(), s.rows, { polling: 'raf' })).jsonValue();
    out.progressSeen = await page.evaluate((sel) => {
      const p = document.querySelector(sel);
      return !!p && !p.hidden && p.textContent;
    }, s.progress);
    out.allRows = await (
      await page.waitForFunction(
        ([s, total]) => {
          const c = document.querySelector(s.count);
          const p = document.querySelector(s.progress);
          return c && c.textContent.trim() === String(total) && (!p || p.hidden) && performance.now();
        },
        [s, total],
        { polling: 'raf' },
      )
    ).jsonValue();
    await page.waitForTimeout(500);
    out.filter = await page.evaluate(
      async ([s, queries]) => {
        const input = document.querySelector(s.filter);
        const times = [];
        const counts = {};
        for (const q of queries) {
          for (let i = 1; i <= q.length; i++) {
            const t = performance.now();
            input.value = q.slice(0, i);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await window.__painted();
            times.push(performance.now() - t);
          }
          counts[q] = document.querySelector(s.count).textContent;
          input.value = '';
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await window.__painted();
        }
        return { times, counts };
      },
      [s, QUERIES],
    );
    out.sort = await page.evaluate(
      async ([s, titles]) => {
        const times = [];
        for (const title of titles) {
          const button = [...document.querySelectorAll(s.sort)].find((b) => b.textContent.trim().startsWith(title));
          const t = performance.now();
          button.click();
          await window.__painted();
          times.push(performance.now() - t);
        }
        return times;
      },
      [s, SORTS],
    );
    if (withStorm) {
      await page.evaluate(() => {
        window.__storm = { frames: [], longTasks: [], running: true };
        const loop = (ts) => {
          window.__storm.frames.push(ts);
          if (window.__storm.running) requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
        window.__storm.observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__storm.longTasks.push(e.duration);
        });
        window.__storm.observer.observe({ entryTypes: ['longtask'] });
        window.__storm.start = performance.now();
      });
      const patches = await stormOfPatches(STORM_SECONDS, STORM_RATE);
      out.storm = await page.evaluate(async () => {
        const st = window.__storm;
        const end = performance.now();
        await window.__painted();
        st.running = false;
        st.observer.disconnect();
        const f = st.frames.filter((t) => t >= st.start && t <= end);
        const FRAME = 1000 / 60;
        const gaps = f.slice(1).map((t, i) => t - f[i]).sort((a, b) => a - b);
        let dropped = 0;
        for (const g of gaps) if (g > 1.5 * FRAME) dropped += Math.floor(g / FRAME) - 1;
        return {
          frames: f.length,
          expectedFrames: Math.round((end - st.start) / FRAME),
          dropped,
          p95: gaps.length ? gaps[Math.min(gaps.length - 1, Math.ceil(0.95 * gaps.length) - 1)] : null,
          worst: gaps.length ? gaps[gaps.length - 1] : null,
          longTasks: st.longTasks.length,
        };
      });
      out.storm.patches = patches;
    }
    out.palette = await page.evaluate(async (s) => {
      const t = performance.now();
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }));
      await window.__waitFor(() => document.querySelectorAll(s.results).length > 0, 10_000);
      await window.__painted();
      const open = performance.now() - t;
      const input = document.querySelector(s.paletteInput);
      const t2 = performance.now();
      input.value = 'svc-17-0001';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await window.__painted();
      return { open, keystroke: performance.now() - t2, results: document.querySelectorAll(s.results).length };
    }, s);
  } finally {
    out.errors = errors;
    await context.close();
  }
  return out;
}

const total = await totalPods();
log(`${total.toLocaleString()} pods on ${BASE}`);
const runs = { lookout: [], baseline: [] };
for (let rep = 0; rep < REPS; rep++) {
  for (const side of rep % 2 === 0 ? ['lookout', 'baseline'] : ['baseline', 'lookout']) {
    const r = await measure(side, total, rep < STORM_REPS);
    runs[side].push(r);
    log(
      `${side}: first rows ${fmt(r.firstRows, 0)} ms, all ${fmt(r.allRows, 0)} ms, filter median ${fmt(median(r.filter.times), 0)} ms (worst ${fmt(Math.max(...r.filter.times), 0)}), ` +
        `sort ${r.sort.map((t) => fmt(t, 0)).join('/')} ms` +
        (r.storm ? `, storm ${r.storm.frames}/${r.storm.expectedFrames} frames, ${r.storm.dropped} dropped, ${r.storm.longTasks} long tasks, ${r.storm.patches.sent} patches` : '') +
        `, palette ${fmt(r.palette.open, 0)} ms / ${fmt(r.palette.keystroke, 0)} ms${r.errors.length ? `, errors: ${r.errors.slice(0, 3).join(' | ')}` : ''}`,
    );
  }
}
await browser.close();

const per = (side, f) => runs[side].map(f).filter((x) => x != null);
function timeRow(metric, f, { absolute = '', note = '' } = {}) {
  const L = per('lookout', f);
  const B = per('baseline', f);
  return row(metric, median(L), median(B), {
    better: 'lower',
    unit: 'ms',
    absolute: absolute || `${fmt(median(L), 0)} ms vs ${fmt(median(B), 0)} ms`,
    range: minMax(ratios(L, B)),
    note,
  });
}
const worst = (side, f) => Math.max(...runs[side].flatMap(f));
const stormOf = (side, key) => median(per(side, (r) => r.storm && r.storm[key]));
const L0 = runs.lookout[0];
const notes = [];
if (!L0.progressSeen) notes.push('Lookout showed no "loading N of M" before its first rows were complete');
for (const side of ['lookout', 'baseline']) for (const r of runs[side]) if (r.errors.length) notes.push(`${side}: ${r.errors[0]}`);
const counts = (side) => QUERIES.map((q) => `"${q}" ${runs[side][0].filter.counts[q]}`).join(', ');

const rows = [
  timeRow('navigation → first rows painted, ms (lower is better; goal ≤ 1,000)', (r) => r.firstRows, {
    note: L0.progressSeen ? `Lookout then showed "${L0.progressSeen}"` : '',
  }),
  timeRow(`navigation → all ${total.toLocaleString()} pods in (the count shows them), ms (lower is better)`, (r) => r.allRows),
  timeRow(`filter keystroke → rows painted, ms, median of ${QUERIES.join('').length} keystrokes (${QUERIES.map((q) => `"${q}"`).join(', ')}) (lower is better; goal ≤ 100)`, (r) => median(r.filter.times), {
    absolute: `worst keystroke ${fmt(worst('lookout', (r) => r.filter.times), 0)} vs ${fmt(worst('baseline', (r) => r.filter.times), 0)} ms; Lookout ${counts('lookout')}; baseline ${counts('baseline')}`,
  }),
  timeRow(`sort click → painted, ms, median of ${SORTS.join(', ')} (lower is better; goal ≤ 100)`, (r) => median(r.sort), {
    absolute: `worst click ${fmt(worst('lookout', (r) => r.sort), 0)} vs ${fmt(worst('baseline', (r) => r.sort), 0)} ms`,
  }),
  row(`storm of ${STORM_RATE.toLocaleString()} pod patches/s for ${STORM_SECONDS} s through POST /_dev/patch: frames painted (higher is better)`, stormOf('lookout', 'frames'), stormOf('baseline', 'frames'), {
    better: 'higher',
    absolute: `expected ~${stormOf('baseline', 'expectedFrames')} frames; ${median(per('lookout', (r) => r.storm && r.storm.patches.sent))} patches per run; worst frame ${fmt(stormOf('lookout', 'worst'), 0)} vs ${fmt(stormOf('baseline', 'worst'), 0)} ms`,
  }),
  row('storm: dropped frames (lower is better; goal 0)', stormOf('lookout', 'dropped'), stormOf('baseline', 'dropped'), { better: 'lower' }),
  row('storm: p95 frame time, ms (lower is better)', stormOf('lookout', 'p95'), stormOf('baseline', 'p95'), { better: 'lower', unit: 'ms' }),
  row('storm: long tasks > 50 ms (lower is better)', stormOf('lookout', 'longTasks'), stormOf('baseline', 'longTasks'), { better: 'lower' }),
  timeRow('palette: Ctrl+K → results painted, ms (lower is better; goal ≤ 100)', (r) => r.palette.open),
  timeRow('palette: a keystroke → results painted, ms (lower is better; goal ≤ 100)', (r) => r.palette.keystroke),
];
rows[0].note = [rows[0].note, ...notes].filter(Boolean).join('; ');
writePart('spa-scale', {
  scenarios: [
    {
      id: 8,
      title: `The SPA's /pods at ${total.toLocaleString()} pods (lookout-dev --scale 100000) vs a plain-JS page on the same server (same paginated list and watch, Map, virtualized table); fresh context per load`,
      available: true,
      rows,
      raw: { runs, reps: REPS, stormSeconds: STORM_SECONDS, rate: STORM_RATE },
    },
  ],
});
