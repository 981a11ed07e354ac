// Merges target/bench/parts/*.json into target/bench/report.json and target/bench/report.md.
// Env: BENCH_STARTED (epoch seconds when scripts/bench began), BENCH_STEPS (JSON: step → status).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { OUT, QUICK, fmt, bytes } from './lib.mjs';

const TITLES = {
  1: 'Watch ingest',
  2: 'First render of a 10,000-pod virtualized table',
  3: 'Update storm',
  4: 'Memory',
  5: 'Time to first status',
  6: 'Size',
  7: 'Simulated cluster at scale',
  8: 'The SPA at 100,000 pods',
};

const partsDir = join(OUT, 'parts');
const parts = existsSync(partsDir)
  ? readdirSync(partsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(partsDir, f), 'utf8')))
  : [];
const byId = new Map();
for (const p of parts) for (const s of p.scenarios || []) byId.set(s.id, s);
const steps = process.env.BENCH_STEPS ? JSON.parse(process.env.BENCH_STEPS) : {};
const scenarios = [];
for (const id of Object.keys(TITLES).map(Number)) {
  scenarios.push(byId.get(id) || { id, title: TITLES[id], available: false, error: 'not run (see the scripts/bench log)', rows: [] });
}
const browserPart = parts.find((p) => 'lookoutBenchPage' in p) || {};
const started = Number(process.env.BENCH_STARTED || 0);
const report = {
  generatedAt: new Date().toISOString(),
  durationSeconds: started ? Math.round(Date.now() / 1000 - started) : null,
  quick: QUICK,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model || '',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium: browserPart.chromium || null,
  },
  lookoutBenchPage: browserPart.lookoutBenchPage ?? null,
  steps,
  scenarios,
};
writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 2) + '\n');

// ---- Markdown -----------------------------------------------------------------------------------

const esc = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
function num(x, unit) {
  if (x == null) return '—';
  if (unit === 'B' || unit === 'B/object') return bytes(x);
  if (unit === 'events/s' || Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return fmt(x, 1);
}
function ratioText(r) {
  if (r.ratio == null) return '—';
  const range = r.ratioRange && r.ratioRange[0] !== r.ratioRange[1] ? ` (${fmt(r.ratioRange[0], 2)}–${fmt(r.ratioRange[1], 2)})` : '';
  return `**${fmt(r.ratio, 2)}**${range}`;
}

const lines = [];
lines.push(
  `Run ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (QUICK: fewer repetitions)' : ''}: ${report.machine.cpus}× ${report.machine.cpuModel}, ` +
    `Chromium ${report.machine.chromium || '?'} headless, Node ${report.machine.node}; whole run ${report.durationSeconds ?? '?'} s. ` +
    'Ratio = Lookout ÷ baseline, both measured in this run on the same page (median; per-repetition range in parentheses).',
  '',
  '| # | scenario · metric | Lookout | baseline | ratio | absolute figures, notes |',
  '| --- | --- | ---: | ---: | ---: | --- |',
);
for (const s of scenarios) {
  if (!s.rows.length) {
    lines.push(`| ${s.id} | ${esc(s.title)} | — | — | — | ${esc(s.error || 'no figures')} |`);
    continue;
  }
  lines.push(`| ${s.id} | **${esc(s.title)}** | | | | ${esc(s.available === false && s.rows.every((r) => r.lookout == null) ? 'Lookout figures not available: /bench page missing' : '')} |`);
  for (const r of s.rows) {
    const notes = [r.absolute, r.note].filter(Boolean).join('; ');
    lines.push(`| | ${esc(r.metric)} | ${num(r.lookout, r.unit)} | ${num(r.baseline, r.unit)} | ${ratioText(r)} | ${esc(notes)} |`);
  }
}
// A scenario's own lines under the table (scenario 5's waterfalls).
for (const s of scenarios) if (s.details) lines.push(...s.details);
const size = scenarios.find((s) => s.id === 6);
const breakdowns = size && size.crates ? Object.entries(size.crates) : [];
if (breakdowns.length) {
  const label = (b) => (b === 'spa' ? 'SPA' : b === 'embed' ? 'widget' : b);
  lines.push(
    '',
    `Wasm by crate: twiggy shallow sizes of a names-kept build (the same wasm-bindgen and wasm-opt -Oz steps, plus -g); ` +
      breakdowns.map(([b, c]) => `${label(b)} ${bytes(c.withoutNames)} bytes without the names section vs ${bytes(c.shippedWasmRaw)} shipped`).join('; ') +
      '.',
    '',
    `| crate | ${breakdowns.map(([b]) => `${label(b)} bytes | share`).join(' | ')} |`,
    `| --- | ${breakdowns.map(() => '---: | ---:').join(' | ')} |`,
  );
  const groups = [];
  for (const [, c] of breakdowns) for (const g of Object.keys(c.byGroup)) if (!groups.includes(g) && !g.startsWith('(custom sections')) groups.push(g);
  for (const g of groups) {
    const cells = breakdowns.map(([, c]) => {
      const n = c.byGroup[g] || 0;
      return `${bytes(n)} | ${((100 * n) / c.withoutNames).toFixed(1)}%`;
    });
    lines.push(`| ${esc(g)} | ${cells.join(' | ')} |`);
  }
  for (const [b, c] of breakdowns) {
    const others = Object.entries(c.otherCrates || {}).slice(0, 8).map(([k, n]) => `${k} ${bytes(n)}`);
    const garbage = c.garbage ? ` twiggy garbage: ${bytes(c.garbage.bytes)} bytes unreachable.` : '';
    lines.push('', `${label(b)}: largest in "other": ${others.join(', ') || 'none'}.${garbage}`);
  }
}
const failedSteps = Object.entries(steps).filter(([, v]) => v !== 'ok');
if (failedSteps.length) lines.push('', `Steps not ok: ${failedSteps.map(([k, v]) => `${k}: ${v}`).join('; ')}.`);
writeFileSync(join(OUT, 'report.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
