// Shared by the bench drivers: statistics, number formatting and writing a part of the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);
export const OUT = process.env.BENCH_OUT || join(ROOT, 'target', 'bench');
export const QUICK = !!process.env.BENCH_QUICK;

export function median(xs) {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function minMax(xs) {
  const s = xs.filter((x) => x != null && Number.isFinite(x));
  return s.length ? [Math.min(...s), Math.max(...s)] : null;
}

export function ratio(a, b) {
  return a != null && b != null && b !== 0 && Number.isFinite(a) && Number.isFinite(b) ? a / b : null;
}

/** Per-repetition ratios a[i] / b[i]. */
export function ratios(as, bs) {
  return as.map((a, i) => ratio(a, bs[i])).filter((r) => r != null);
}

/** A row of the report table. `better` says which way is good for the metric. */
export function row(metric, lookout, baseline, { better, unit = '', absolute = '', range = null, note = '', r } = {}) {
  return {
    metric,
    unit,
    better,
    lookout: lookout ?? null,
    baseline: baseline ?? null,
    ratio: r !== undefined ? r : ratio(lookout, baseline),
    ratioRange: range,
    absolute,
    note,
  };
}

export function fmt(x, digits = 1) {
  if (x == null || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  const d = abs >= 100 ? 0 : abs >= 10 ? Math.min(digits, 1) : digits;
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function bytes(n) {
  return n == null ? '—' : Math.round(n).toLocaleString('en-US');
}

export function writePart(name, data) {
  const file = join(OUT, 'parts', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

export function log(...args) {
  console.log('   ', ...args);
}

/** A request to `base + path` with `body` as JSON (none when absent); resolves with its status and text. */
export function jsonRequest(base, agent, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
    const req = http.request(base + path, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}
