// Browser scenarios of scripts/bench (1–5) in Debian's headless Chromium, driven by the Playwright
// library that playwright/ already installs. Lookout is measured through `window.lookoutBench` on
// lookout-dev's `/bench` page and the plain-JS baseline (bench/baseline.js) on the same page with
// the same harness (bench/harness.js). Writes target/bench/parts/browser.json.
//
// Env: BENCH_URL (lookout-dev serving dist/, `--scale` for template pods), BENCH_LATENCY_URL
// (lookout-dev with `--preflight-latency-ms`, for scenario 5: bench/first-status.mjs),
// BENCH_LATENCY_MS and BENCH_BANDWIDTH_MBIT (its network model), BENCH_QUICK=1 for fewer repetitions.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_DIR, ROOT, QUICK, median, minMax, ratios, row, fmt, writePart, log } from './lib.mjs';
import { firstStatus } from './first-status.mjs';

const require = createRequire(join(ROOT, 'playwright', 'package.json'));
const { chromium } = require('playwright');

const URL_MAIN = process.env.BENCH_URL;
const URL_LATENCY = process.env.BENCH_LATENCY_URL;
if (!URL_MAIN) throw new Error('BENCH_URL is not set: run through scripts/bench');

const MISSING = 'not available: /bench page missing';
const REPS = {
  ingest: QUICK ? 2 : 5,
  mount: QUICK ? 3 : 10,
  storm: QUICK ? 1 : 2,
  status: QUICK ? 2 : 5,
};
const STORM_SECONDS = QUICK ? 3 : 10;
const MEMORY_SIZES = QUICK ? [10_000] : [10_000, 100_000];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ],
});

const BLANK = `${URL_MAIN}/__bench_blank`;
let hasLookout = null; // whether /bench exposes window.lookoutBench
/** GitLab's client's watch store (bench/gitlab-client-store.js, bundled into the dist by scripts/bench). */
const PEER_STORE = '/peer/gitlab-client-store.js';
let hasPeer = null; // whether the dist has it
/** GitLab's client finds each event's object by a linear scan: 100,000 pods would take minutes. */
const PEER_MEMORY_MAX = 10_000;
const PEER = "GitLab's client (@gitlab/cluster-client WatchApi)";

/** A fresh context and page on `/bench` (or a blank same-origin page), with the bench scripts. */
async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(BLANK, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html><head><title>bench</title></head><body></body></html>' }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(300_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  if (hasLookout !== false) {
    await page.goto(`${URL_MAIN}/bench`);
    const found = await page
      .waitForFunction(() => !!window.lookoutBench, null, { timeout: hasLookout === null ? 20_000 : 60_000 })
      .then(() => true, () => false);
    if (hasLookout === null) {
      hasLookout = found;
      log(found ? '/bench page: window.lookoutBench found' : `/bench page: no window.lookoutBench (${MISSING}); baseline only`);
    } else if (!found) {
      throw new Error('/bench lost window.lookoutBench');
    }
  }
  if (!hasLookout) await page.goto(BLANK);
  for (const f of ['fixtures.js', 'baseline.js', 'harness.js']) await page.addScriptTag({ path: join(BENCH_DIR, f) });
  if (hasPeer === null) hasPeer = (await fetch(`${URL_MAIN}${PEER_STORE}`, { method: 'HEAD' })).ok;
  if (hasPeer) {
    await page.addScriptTag({ url: `${URL_MAIN}${PEER_STORE}`, type: 'module' });
    await page.waitForFunction(() => !!window.gitlabClientBench);
  }
  return { context, page, errors };
}

async function withPage(fn) {
  const p = await open();
  try {
    return await fn(p.page);
  } finally {
    if (p.errors.length) log(`page errors: ${p.errors.slice(0, 5).join(' | ')}`);
    await p.context.close();
  }
}

/** Generates the fixture in the page (window.__benchData); returns its size. */
function generate(page, opts) {
  return page.evaluate(async (opts) => {
    if (!window.__benchTemplates) window.__benchTemplates = await window.benchFixtures.fetchTemplates(2000);
    const r = window.benchFixtures.stream(window.__benchTemplates, opts);
    window.__benchData = r;
    return { bytes: r.data.length, events: r.events, pods: r.pods, templates: window.__benchTemplates.length };
  }, opts);
}

const impls = () => (hasLookout ? ['lookout', 'baseline'] : ['baseline']);
const orderFor = (rep) => (rep % 2 === 0 ? impls() : [...impls()].reverse());

// ---- 1. watch ingest ----------------------------------------------------------------------------

async function ingest() {
  return withPage(async (page) => {
    const fx = await generate(page, { pods: 10_000, bytes: 50e6 });
    log(`ingest fixture: ${fx.bytes.toLocaleString()} bytes, ${fx.events.toLocaleString()} events, ${fx.templates} templates`);
    const ms = { lookout: [], baseline: [], parseOnly: [], gitlabClient: [] };
    const events = {};
    const names = [...impls(), 'parseOnly', ...(hasPeer ? ['gitlabClient'] : [])];
    for (const name of names) await page.evaluate((n) => window.benchHarness.ingest(n), name); // warm-up
    for (let rep = 0; rep < REPS.ingest; rep++) {
      for (const name of rep % 2 === 0 ? names : [...names].reverse()) {
        const r = await page.evaluate((n) => window.benchHarness.ingest(n), name);
        ms[name].push(r.ms);
        events[name] = r.events;
      }
    }
    const mb = fx.bytes / 1e6;
    const mbps = (name) => ms[name].map((t) => mb / (t / 1000));
    const evps = (name) => ms[name].map((t) => fx.events / (t / 1000));
    const L = hasLookout ? median(mbps('lookout')) : null;
    const B = median(mbps('baseline'));
    const abs = `${fmt(median(ms.lookout), 0)} ms vs ${fmt(median(ms.baseline), 0)} ms for ${fmt(mb, 1)} MB`;
    const note = hasLookout ? (events.lookout === fx.events ? '' : `Lookout applied ${events.lookout} of ${fx.events} events`) : MISSING;
    return {
      id: 1,
      title: `Watch ingest (${fmt(mb, 1)} MB, ${fx.events.toLocaleString()} MODIFIED pod events, ~${fmt(fx.bytes / fx.events / 1024, 1)} KiB each)`,
      available: hasLookout,
      rows: [
        row('throughput, MB/s (higher is better)', L, B, {
          better: 'higher',
          unit: 'MB/s',
          absolute: abs,
          range: hasLookout ? minMax(ratios(mbps('lookout'), mbps('baseline'))) : null,
          note,
        }),
        row('events/s (higher is better)', hasLookout ? median(evps('lookout')) : null, median(evps('baseline')), {
          better: 'higher',
          unit: 'events/s',
          range: hasLookout ? minMax(ratios(evps('lookout'), evps('baseline'))) : null,
        }),
        row('MB/s vs JSON.parse alone, nothing kept (the JS ceiling, not the baseline)', L, median(mbps('parseOnly')), {
          better: 'higher',
          unit: 'MB/s',
          absolute: `JSON.parse alone ${fmt(median(ms.parseOnly), 0)} ms`,
          range: hasLookout ? minMax(ratios(mbps('lookout'), mbps('parseOnly'))) : null,
        }),
        ...(hasPeer
          ? [
              row(`MB/s vs ${PEER}, the same events as ADDED (higher is better)`, L, median(mbps('gitlabClient')), {
                better: 'higher',
                unit: 'MB/s',
                absolute: `GitLab's client ${fmt(median(ms.gitlabClient), 0)} ms, held ${events.gitlabClient}`,
                range: hasLookout ? minMax(ratios(mbps('lookout'), mbps('gitlabClient'))) : null,
              }),
            ]
          : []),
      ],
      raw: { fixture: fx, ms, eventsApplied: events, reps: REPS.ingest },
    };
  });
}

// ---- 2. first render ----------------------------------------------------------------------------

async function firstRender() {
  return withPage(async (page) => {
    const n = 10_000;
    const ms = { lookout: [], baseline: [] };
    const rows = {};
    const shown = {};
    const view = {};
    for (const name of impls()) await page.evaluate(([nm, k]) => window.benchHarness.mount(nm, k), [name, n]);
    for (let rep = 0; rep < REPS.mount; rep++) {
      for (const name of orderFor(rep)) {
        const r = await page.evaluate(([nm, k]) => window.benchHarness.mount(nm, k), [name, n]);
        ms[name].push(r.ms);
        rows[name] = r.rows;
        shown[name] = r.firstRowShown;
        view[name] = { visibleRows: r.visibleRows, filled: r.filled, viewportHeight: r.viewportHeight };
      }
    }
    const L = hasLookout ? median(ms.lookout) : null;
    const B = median(ms.baseline);
    const notes = [];
    if (!hasLookout) notes.push(MISSING);
    for (const name of impls()) {
      if (!shown[name]) notes.push(`${name}: pod-00000 not shown`);
      if (!view[name].filled) notes.push(`${name}: only ${view[name].visibleRows} rows shown, the rest of its ${view[name].viewportHeight} px viewport is blank`);
    }
    return {
      id: 2,
      title: 'First render of a 10,000-pod virtualized table (mount → 2 rAF + task)',
      available: hasLookout,
      rows: [
        row('time to painted rows, ms (lower is better)', L, B, {
          better: 'lower',
          unit: 'ms',
          absolute: `${fmt(L)} ms vs ${fmt(B)} ms; rows in DOM ${rows.lookout ?? '—'} vs ${rows.baseline}, visible ${view.lookout?.visibleRows ?? '—'} vs ${view.baseline.visibleRows}`,
          range: hasLookout ? minMax(ratios(ms.lookout, ms.baseline)) : null,
          note: notes.join('; '),
        }),
      ],
      raw: { ms, rowsInDom: rows, firstRowShown: shown, viewport: view, reps: REPS.mount },
    };
  });
}

// ---- 3. update storm ----------------------------------------------------------------------------

async function storm() {
  return withPage(async (page) => {
    const runs = { lookout: [], baseline: [] };
    for (let rep = 0; rep < REPS.storm; rep++) {
      for (const name of orderFor(rep)) {
        const r = await page.evaluate(([nm, s]) => window.benchHarness.storm(nm, 10_000, s, 1000), [name, STORM_SECONDS]);
        log(`storm ${name}: ${r.frames}/${r.expectedFrames} frames, ${r.dropped} dropped, p95 ${fmt(r.p95)} ms, modify ${fmt(r.modifyMs, 0)} ms, ${r.longTasks} long tasks`);
        runs[name].push(r);
      }
    }
    const m = (name, key) => (runs[name].length ? median(runs[name].map((r) => r[key])) : null);
    const note = hasLookout ? '' : MISSING;
    const rowsFor = [
      [`frames painted in ${STORM_SECONDS} s (higher is better)`, 'frames', 'higher'],
      ['dropped frames (lower is better)', 'dropped', 'lower'],
      ['p95 frame time, ms (lower is better)', 'p95', 'lower'],
      ['main thread in modify(), ms (lower is better)', 'modifyMs', 'lower'],
      ['long tasks > 50 ms (lower is better)', 'longTasks', 'lower'],
    ];
    return {
      id: 3,
      title: `Update storm: 1,000 MODIFIED/s for ${STORM_SECONDS} s into a mounted 10,000-row table`,
      available: hasLookout,
      rows: rowsFor.map(([metric, key, better], i) =>
        row(metric, hasLookout ? m('lookout', key) : null, m('baseline', key), {
          better,
          absolute:
            i === 0
              ? `expected ~${m('baseline', 'expectedFrames')} frames; ${m('baseline', 'events')} events each; worst frame ${fmt(m('lookout', 'worst'), 0)} vs ${fmt(m('baseline', 'worst'), 0)} ms`
              : i === 2
                ? `p50 ${fmt(m('lookout', 'p50'))} vs ${fmt(m('baseline', 'p50'))} ms`
                : '',
          note: i === 0 ? note : '',
        }),
      ),
      raw: { runs, seconds: STORM_SECONDS, rate: 1000, reps: REPS.storm },
    };
  });
}

// ---- 4. memory ----------------------------------------------------------------------------------

async function memory() {
  const rows = [];
  const raw = {};
  for (const n of MEMORY_SIZES) {
    const res = {};
    const names = [...impls(), ...(hasPeer && n <= PEER_MEMORY_MAX ? ['gitlabClient'] : [])];
    for (const name of names) {
      res[name] = await withPage(async (page) => {
        const fx = await generate(page, { pods: n, events: n });
        if (name === 'gitlabClient') await page.evaluate(() => window.gitlabClientBench.prepare(window.__benchData.data));
        const r = await page.evaluate((nm) => window.benchHarness.memory(nm), name);
        const heap = r.after.heap - r.before.heap;
        const wasm = r.after.wasm - r.before.wasm;
        log(`memory ${name} ${n}: heap +${(heap / 2 ** 20).toFixed(1)} MiB, wasm +${(wasm / 2 ** 20).toFixed(1)} MiB, held ${r.held}, JSON ${(fx.bytes / 2 ** 20).toFixed(1)} MiB, hold ${r.holdMs.toFixed(0)} ms`);
        return { ...r, heap, wasm, total: heap + wasm, perObject: (heap + wasm) / n, jsonPerObject: fx.bytes / n };
      });
    }
    raw[n] = res;
    const L = res.lookout;
    const B = res.baseline;
    const mib = (x) => (x == null ? '—' : `${(x / 2 ** 20).toFixed(1)} MiB`);
    rows.push(
      row(`${n.toLocaleString()} pods: bytes per object (lower is better)`, L ? L.perObject : null, B.perObject, {
        better: 'lower',
        unit: 'B/object',
        absolute: `Lookout heap +${mib(L?.heap)} wasm +${mib(L?.wasm)} (wasm total ${mib(L?.after.wasm)}); baseline heap +${mib(B.heap)}; JSON ${mib(B.jsonBytes)} (${Math.round(B.jsonPerObject)} B/pod); Lookout ${L ? (L.perObject / L.jsonPerObject).toFixed(3) : '—'}× raw JSON, baseline ${(B.perObject / B.jsonPerObject).toFixed(2)}×`,
        note: hasLookout ? (L.held === n ? '' : `Lookout held ${L.held} of ${n}`) : MISSING,
      }),
    );
    const G = res.gitlabClient;
    if (G) {
      rows.push(
        row(`${n.toLocaleString()} pods: bytes per object vs ${PEER} (lower is better)`, L ? L.perObject : null, G.perObject, {
          better: 'lower',
          unit: 'B/object',
          absolute: `GitLab's client heap +${mib(G.heap)}, ${(G.perObject / G.jsonPerObject).toFixed(2)}× raw JSON, held ${G.held}`,
        }),
      );
    }
  }
  return {
    id: 4,
    title: 'Memory: JS heap + wasm linear memory growth holding N pods (fresh page each, after GC)',
    available: hasLookout,
    rows,
    raw,
  };
}

// ---- 5. time to first status (bench/first-status.mjs) ----------------------------------------

function timeToFirstStatus() {
  if (!URL_LATENCY) throw new Error('BENCH_LATENCY_URL is not set');
  return firstStatus(browser, { url: URL_LATENCY, reps: REPS.status });
}

// ---- run ----------------------------------------------------------------------------------------

const only = (process.env.BENCH_ONLY || '').split(',').filter(Boolean);
const scenarios = [
  ['1', ingest],
  ['2', firstRender],
  ['3', storm],
  ['4', memory],
  ['5', timeToFirstStatus],
];
const results = [];
let failed = 0;
for (const [id, fn] of scenarios) {
  if (only.length && !only.includes(id)) continue;
  const t0 = Date.now();
  console.log(`\n  scenario ${id}: ${fn.name}`);
  try {
    const r = await fn();
    r.seconds = (Date.now() - t0) / 1000;
    results.push(r);
    for (const x of r.rows) log(`${x.metric}: Lookout ${fmt(x.lookout)} baseline ${fmt(x.baseline)} ratio ${fmt(x.ratio, 2)}`);
  } catch (e) {
    failed++;
    console.error(`  scenario ${id} FAILED: ${e.stack || e}`);
    results.push({ id: Number(id), title: fn.name, available: false, error: String(e.message || e), rows: [], seconds: (Date.now() - t0) / 1000 });
  }
}
const chromiumVersion = browser.version();
await browser.close();
writePart('browser', { lookoutBenchPage: hasLookout, chromium: chromiumVersion, scenarios: results });
process.exit(failed ? 1 : 0);
