// Scenario 6 of scripts/bench: bundle sizes (raw, gzip -9, brotli -q 11) of everything in dist/,
// grouped into bundles, and a per-crate breakdown of the app's wasm from twiggy. Ratios: against
// the previous run's report (target/bench/previous-report.json) and the first slice's wasm
// (101,822 bytes brotli, README).
//
// Env: BENCH_DIST (the built app, default dist/), BENCH_NAMES (scripts/bench's folder of
// names-kept builds: <bin>.twiggy-top.json and <bin>.twiggy-garbage.json per bundle).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, OUT, row, bytes, writePart, log } from './lib.mjs';
import { measure } from './budgets.mjs';

const FIRST_SLICE_WASM_BROTLI = 101_822;
const DIST = process.env.BENCH_DIST || join(ROOT, 'dist');

function compressed(file) {
  const gzip = execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 30 }).length;
  const brotli = execFileSync('brotli', ['-q', '11', '-c', file], { maxBuffer: 1 << 30 }).length;
  return { raw: statSync(file).size, gzip, brotli };
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.(wasm|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Which bundle a dist file belongs to: the SPA, or the folder / name stem of another entry. */
function bundleOf(file) {
  const rel = relative(DIST, file);
  // wasm-bindgen's inline JS goes to snippets/ next to its bundle's JS.
  if (rel.startsWith('embed/flux-status/')) return 'flux-status';
  // Not Lookout's: scenario 5's peer page on @gitlab/cluster-client (scripts/bench bundles it);
  // the other peer file is the bench's own (scenarios 1 and 4).
  if (rel.startsWith('peer/')) return rel === 'peer/gitlab-client.js' ? 'gitlab-client (peer baseline)' : 'bench';
  if (rel.startsWith('embed/drawer/')) return 'drawer';
  if (rel.includes('/') && !rel.startsWith('snippets/')) return rel.split('/')[0];
  if (rel.startsWith('snippets/')) return 'spa';
  const stem = rel.replace(/(-[0-9a-f]{12,16})?(_bg)?\.(wasm|js|mjs)$/, '');
  // The app's pages behind a click: wasm chunks cut from it (scripts/lib.sh split_app), each
  // fetched on the first visit of its page; their loader (__wasm_split) comes with the app.
  if (/^(split|chunk)_/.test(stem)) return 'spa-chunks';
  return stem === 'lookout-app' || stem === '__wasm_split' ? 'spa' : stem;
}

// ---- per-crate breakdown ------------------------------------------------------------------------

const STD = new Set(['std', 'core', 'alloc', 'dlmalloc', 'compiler_builtins', 'panic_abort', 'panic_unwind']);
const GROUPS = [
  ['leptos', (c) => c === 'leptos' || c.startsWith('leptos_') || c === 'any_spawner' || c === 'throw_error' || c === 'server_fn' || c === 'oco_ref'],
  ['reactive_graph', (c) => c === 'reactive_graph' || c === 'reactive_stores'],
  ['tachys', (c) => c === 'tachys'],
  ['serde_json', (c) => c === 'serde_json' || c === 'zmij' || c === 'itoa' || c === 'ryu'],
  ['serde', (c) => c === 'serde' || c === 'serde_core'],
  ['lookout_client', (c) => c === 'lookout_client'],
  ['lookout_components', (c) => c === 'lookout_components'],
  ['lookout_app, lookout_environment, lookout_drawer, lookout_flux_status (the bins)', (c) => ['lookout_app', 'lookout_environment', 'lookout_drawer', 'lookout_flux_status', 'lookout_widget'].includes(c)],
  ['std/core/alloc', (c) => STD.has(c)],
  ['wasm_bindgen/js_sys/web_sys', (c) => ['wasm_bindgen', 'js_sys', 'web_sys', 'wasm_bindgen_futures', 'wasm_streams', 'gloo_net', 'gloo_utils'].includes(c)],
];

/** The crate an item's size is charged to. */
export function crateOf(name) {
  if (name.startsWith('"function names"') || name.startsWith('custom section') || name.startsWith('"')) {
    return name.startsWith('"data') ? '(data)' : '(custom sections: names, producers)';
  }
  if (name.startsWith('data segment') || name.startsWith('data[')) return '(data)';
  if (/^(import|export) /.test(name)) return /__wbg|__wbindgen|__externref/.test(name) ? 'wasm_bindgen' : '(wasm structure: types, imports, exports, tables)';
  if (/^(type|elem|table|global|memory|code|func|start)\b/.test(name) && !name.includes('::')) {
    return '(wasm structure: types, imports, exports, tables)';
  }
  if (/^(__wbg|__wbindgen|__externref|intounderlying)/.test(name)) return 'wasm_bindgen';
  // Every `crate::` (or `crate[hash]::`) in order of appearance; the first non-std one wins, so
  // `<T as tachys::…>`, `core::ptr::drop_in_place<lookout_client::…>` and trait impls of std types
  // for a crate's types are charged to that crate.
  const crates = [...name.matchAll(/(?<![A-Za-z0-9_:\]])([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/g)].map((m) => m[1]).filter((c) => c !== '_' && c !== 'impl');
  const own = crates.find((c) => !STD.has(c) && /^[a-z]/.test(c));
  if (own) return own;
  if (crates.some((c) => STD.has(c))) return 'std';
  return '(other unnamed)';
}

function groupOf(crate) {
  for (const [g, test] of GROUPS) if (test(crate)) return g;
  return crate.startsWith('(') ? crate : 'other';
}

function breakdown(topFile, garbageFile) {
  const items = JSON.parse(readFileSync(topFile, 'utf8'));
  const total = items.reduce((a, it) => a + it.shallow_size, 0);
  const byGroup = {};
  const byCrate = {};
  for (const it of items) {
    const c = crateOf(it.name);
    const g = groupOf(c);
    byGroup[g] = (byGroup[g] || 0) + it.shallow_size;
    byCrate[c] = (byCrate[c] || 0) + it.shallow_size;
  }
  const names = byGroup['(custom sections: names, producers)'] || 0;
  const shipped = total - names;
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1]));
  let garbage = null;
  if (garbageFile && existsSync(garbageFile)) {
    const g = JSON.parse(readFileSync(garbageFile, 'utf8'));
    const sum = g.find((it) => it.name.startsWith('Σ'));
    const falseData = g.find((it) => /potential false-positive data segments/.test(it.name));
    garbage = {
      bytes: sum ? sum.bytes : null,
      rows: sum ? sum.name : null,
      potentialFalsePositiveDataBytes: falseData ? falseData.bytes : 0,
      top: g.filter((it) => !/^(Σ|\.\.\.)/.test(it.name) && it !== falseData).slice(0, 10),
    };
  }
  const other = Object.entries(sorted(byCrate)).filter(([c]) => groupOf(c) === 'other');
  return { total, withoutNames: shipped, byGroup: sorted(byGroup), byCrate: sorted(byCrate), otherCrates: Object.fromEntries(other), garbage };
}

// ---- run ----------------------------------------------------------------------------------------

const files = existsSync(DIST) ? walk(DIST) : [];
if (!files.some((f) => f.endsWith('.wasm'))) throw new Error(`no wasm in ${DIST}: build the app first`);
const perFile = files.map((f) => ({ file: relative(DIST, f), bundle: bundleOf(f), ...compressed(f) }));
const bundles = {};
for (const f of perFile) {
  const b = (bundles[f.bundle] ||= { raw: 0, gzip: 0, brotli: 0, wasmBrotli: 0, files: [] });
  b.raw += f.raw;
  b.gzip += f.gzip;
  b.brotli += f.brotli;
  if (f.file.endsWith('.wasm')) b.wasmBrotli += f.brotli;
  b.files.push(f.file);
}
for (const f of perFile) log(`${f.file}: raw ${bytes(f.raw)}, gzip ${bytes(f.gzip)}, brotli ${bytes(f.brotli)}`);

let previous = null;
const prevFile = join(OUT, 'previous-report.json');
if (existsSync(prevFile)) {
  try {
    const prev = JSON.parse(readFileSync(prevFile, 'utf8'));
    previous = prev.scenarios.find((s) => s.id === 6)?.raw?.bundles || null;
  } catch (_) {
    previous = null;
  }
}

const rows = [];
for (const [name, b] of Object.entries(bundles)) {
  const label = { spa: 'SPA', 'spa-chunks': 'SPA pages behind a click (wasm chunks, each loaded on first visit)', embed: '<lookout-environment> first view (embed/)', drawer: '<lookout-environment> details drawer, loaded on first use (embed/drawer/)', 'flux-status': '<lookout-flux-status> bundle (embed/flux-status/)' }[name] || `bundle ${name}`;
  const prev = previous && previous[name];
  rows.push(
    row(`${label} wasm+JS, brotli bytes vs the previous run (lower is better)`, b.brotli, prev ? prev.brotli : null, {
      better: 'lower',
      unit: 'B',
      absolute: `raw ${bytes(b.raw)}, gzip ${bytes(b.gzip)}, brotli ${bytes(b.brotli)}`,
      note: prev ? '' : previous ? 'not in the previous report' : 'no previous report.json',
    }),
  );
  if (name === 'spa') {
    rows.push(
      row('SPA wasm, brotli bytes vs the first slice (pods page only, README)', b.wasmBrotli, FIRST_SLICE_WASM_BROTLI, {
        better: 'lower',
        unit: 'B',
        absolute: `wasm brotli ${bytes(b.wasmBrotli)} vs ${bytes(FIRST_SLICE_WASM_BROTLI)}`,
      }),
    );
  }
}
const peer = bundles['gitlab-client (peer baseline)'];
if (peer && bundles['flux-status']) {
  rows.push(
    row('<lookout-flux-status> bundle vs the @gitlab/cluster-client page (its client, esbuild --minify), brotli bytes (lower is better)', bundles['flux-status'].brotli, peer.brotli, {
      better: 'lower',
      unit: 'B',
      absolute: `peer: raw ${bytes(peer.raw)}, gzip ${bytes(peer.gzip)}, brotli ${bytes(peer.brotli)}`,
    }),
  );
}

// What each page downloads before it shows anything, against its goal (bench/budgets.mjs).
for (const m of measure(DIST)) {
  rows.push(
    row(`${m.name}: brotli bytes before it shows anything vs its goal (lower is better)`, m.brotli, m.goal, {
      better: 'lower',
      unit: 'B',
      absolute: m.files.join(', '),
      note: m.brotli == null ? 'not built' : m.brotli <= m.goal ? 'within the goal' : 'OVER the goal',
    }),
  );
}

// Per bundle: the SPA is lookout-app, <lookout-environment>'s first view (dist/embed/)
// lookout-environment, its details drawer (dist/embed/drawer/, loaded on first use) lookout-drawer,
// <lookout-flux-status> (dist/embed/flux-status/) lookout-flux-status.
const BINS = { spa: 'lookout-app', embed: 'lookout-environment', drawer: 'lookout-drawer', 'flux-status': 'lookout-flux-status' };
const names = process.env.BENCH_NAMES;
const crates = {};
for (const [bundle, bin] of Object.entries(BINS)) {
  const top = names && join(names, `${bin}.twiggy-top.json`);
  if (!top || !existsSync(top)) continue;
  const c = breakdown(top, join(names, `${bin}.twiggy-garbage.json`));
  c.bin = bin;
  c.shippedWasmRaw = perFile.filter((f) => f.bundle === bundle && f.file.endsWith('.wasm')).reduce((a, f) => a + f.raw, 0);
  crates[bundle] = c;
  log(`twiggy ${bin}: ${bytes(c.withoutNames)} bytes without the names section (shipped wasm ${bytes(c.shippedWasmRaw)})`);
  for (const [g, n] of Object.entries(c.byGroup)) log(`  ${g}: ${bytes(n)}`);
}
if (!Object.keys(crates).length) log('twiggy: no breakdown (BENCH_NAMES has no twiggy output)');

writePart('sizes', {
  scenarios: [
    {
      id: 6,
      title: 'Size: bundles (raw, gzip -9, brotli -q 11) and their wasm by crate (twiggy)',
      available: true,
      rows,
      crates,
      raw: { bundles, perFile, firstSliceWasmBrotli: FIRST_SLICE_WASM_BROTLI, previousFound: !!previous },
    },
  ],
});
