// Scenario 7 of scripts/bench: the simulated cluster at scale. A lookout-dev started with
// `--scale 100000 --dist <BENCH_STATIC_DIR>` answers a paginated list (limit=500 + continue), an
// unpaginated list and a streaming list (watch with sendInitialEvents) of every pod, and fans one
// pod's changes (POST /_dev/patch in a loop) out to 10 and 100 watchers. The baseline is the
// ceiling of the same bytes served as a static file by the same server, fetched by curl. The
// server's resident memory (VmRSS) is read after start, after the lists and at its peak (VmHWM).
//
// Env: BENCH_SCALE_URL, BENCH_STATIC_DIR, BENCH_SCALE_PODS (100000), BENCH_SCALE_PID (the server's
// process, for its memory).
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, median, row, fmt, writePart, log, jsonRequest } from './lib.mjs';

const BASE = process.env.BENCH_SCALE_URL;
const STATIC = process.env.BENCH_STATIC_DIR;
const PODS = Number(process.env.BENCH_SCALE_PODS || 100_000);
const PID = process.env.BENCH_SCALE_PID;
if (!BASE || !STATIC) throw new Error('BENCH_SCALE_URL and BENCH_STATIC_DIR must be set: run through scripts/bench');
const REPS = QUICK ? 1 : 3;
const PATCH_SECONDS = QUICK ? 2 : 5;

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** GET `path`; resolves with { status, body: Buffer, ms } once the whole body is in. */
function get(path) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(BASE + path, { agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function post(path, body) {
  return jsonRequest(BASE, agent, 'POST', path, body);
}

/**
 * A watch stream: calls `onLine(line)` per JSON line; `stop()` aborts it. `opened` resolves when
 * the response headers arrive.
 */
function watch(path, onLine) {
  let req;
  const opened = new Promise((resolve, reject) => {
    req = http.get(BASE + path, { agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
      resolve();
      let rest = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const l of lines) if (l) onLine(l);
      });
      res.on('error', () => {});
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? null : reject(e)));
  });
  return { opened, stop: () => req.destroy() };
}

/** The server's memory from /proc: { rss, peak } in bytes, or null without a PID. */
function memory() {
  if (!PID) return null;
  const status = readFileSync(`/proc/${PID}/status`, 'utf8');
  const kb = (field) => Number((status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')) || [])[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

function curl(url) {
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total} %{size_download}', url]).toString().trim().split(' ');
  if (out[0] !== '200') throw new Error(`curl ${url}: HTTP ${out[0]}`);
  return { ms: Number(out[1]) * 1000, bytes: Number(out[2]) };
}

async function listPaginated() {
  const t0 = performance.now();
  let cont = '';
  let items = 0;
  let pages = 0;
  let bytes = 0;
  do {
    const r = await get(`/k8s-proxy/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    if (r.status !== 200) throw new Error(`page ${pages}: HTTP ${r.status}`);
    const list = JSON.parse(r.body);
    items += list.items.length;
    bytes += r.body.length;
    pages++;
    cont = list.metadata.continue || '';
  } while (cont);
  return { ms: performance.now() - t0, items, pages, bytes };
}

async function streamingList() {
  const t0 = performance.now();
  let events = 0;
  let bytes = 0;
  let firstMs = null;
  await new Promise((resolve, reject) => {
    const w = watch('/k8s-proxy/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan', (line) => {
      bytes += line.length + 1;
      if (line.startsWith('{"type":"ADDED"') || line.includes('"type":"ADDED"')) {
        events++;
        if (firstMs === null) firstMs = performance.now() - t0;
      } else if (line.includes('"BOOKMARK"') && line.includes('k8s.io/initial-events-end')) {
        w.stop();
        resolve();
      }
    });
    w.opened.catch(reject);
  });
  return { ms: performance.now() - t0, firstMs, events, bytes };
}

/** `n` watchers on one pod while it is patched in a loop for PATCH_SECONDS. */
async function fanOut(n, ns, name) {
  const stats = await post('/_dev/stats', {});
  const rv = JSON.parse(stats.body).resourceVersion;
  const received = new Array(n).fill(0);
  const watchers = [];
  for (let i = 0; i < n; i++) {
    watchers.push(
      watch(`/k8s-proxy/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${rv}&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`, (line) => {
        if (line.includes('"type":"MODIFIED"')) received[i]++;
      }),
    );
  }
  await Promise.all(watchers.map((w) => w.opened));
  let patches = 0;
  let failures = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < PATCH_SECONDS * 1000) {
    const r = await post('/_dev/patch', { apiVersion: 'v1', kind: 'Pod', namespace: ns, name, patch: { metadata: { labels: { bench: `n${n}-${patches}` } } } });
    if (r.status === 200) patches++;
    else failures++;
  }
  const patchMs = performance.now() - t0;
  const expected = patches * n;
  const deadline = performance.now() + 10_000;
  while (received.reduce((a, b) => a + b, 0) < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const drainMs = performance.now() - t0;
  for (const w of watchers) w.stop();
  const got = received.reduce((a, b) => a + b, 0);
  return { watchers: n, patches, failures, patchMs, drainMs, expected, received: got, lost: expected - got, eventsPerSecond: got / (drainMs / 1000), patchesPerSecond: patches / (patchMs / 1000) };
}

// ---- run ----------------------------------------------------------------------------------------

const t0 = performance.now();
const memStart = memory();
const full = await get('/k8s-proxy/api/v1/pods');
if (full.status !== 200) throw new Error(`unpaginated list: HTTP ${full.status}`);
const parsed = JSON.parse(full.body);
if (parsed.items.length < PODS) throw new Error(`only ${parsed.items.length} pods listed, expected at least ${PODS}`);
const first = parsed.items.find((p) => p.metadata.namespace === 'scale-000') || parsed.items[0];
log(`unpaginated list: ${parsed.items.length.toLocaleString()} pods, ${full.body.length.toLocaleString()} bytes`);
mkdirSync(STATIC, { recursive: true });
writeFileSync(join(STATIC, 'pods-list.json'), full.body);

const staticCurl = [];
const apiCurl = [];
const apiNode = [];
const staticNode = [];
for (let i = 0; i < REPS; i++) {
  staticCurl.push(curl(`${BASE}/pods-list.json`).ms);
  apiCurl.push(curl(`${BASE}/k8s-proxy/api/v1/pods`).ms);
  apiNode.push((await get('/k8s-proxy/api/v1/pods')).ms);
  staticNode.push((await get('/pods-list.json')).ms);
}
const paginated = [];
for (let i = 0; i < REPS; i++) paginated.push(await listPaginated());
const streaming = [];
for (let i = 0; i < REPS; i++) streaming.push(await streamingList());
const memLists = memory();
if (memLists) log(`server memory: ${fmt(memStart.rss / 1e6, 0)} MB after start, ${fmt(memLists.rss / 1e6, 0)} MB after the lists, peak ${fmt(memLists.peak / 1e6, 0)} MB`);
log(`static file by curl ${fmt(median(staticCurl), 0)} ms; API by curl ${fmt(median(apiCurl), 0)} ms; paginated ${fmt(median(paginated.map((p) => p.ms)), 0)} ms (${paginated[0].pages} pages); streaming list ${fmt(median(streaming.map((s) => s.ms)), 0)} ms (${streaming[0].events} events)`);
const fan = [];
for (const n of [10, 100]) {
  const r = await fanOut(n, first.metadata.namespace, first.metadata.name);
  log(`${n} watchers: ${r.patches} patches (${fmt(r.patchesPerSecond, 0)}/s), ${r.received}/${r.expected} events delivered (${fmt(r.eventsPerSecond, 0)}/s), ${r.lost} lost`);
  fan.push(r);
}
agent.destroy();

const S = median(staticCurl);
const mb = full.body.length / 1e6;
const rows = [
  row('unpaginated list, curl, ms (lower is better)', median(apiCurl), S, { better: 'lower', unit: 'ms', absolute: `${fmt(mb, 1)} MB; ${fmt(mb / (median(apiCurl) / 1000), 0)} vs ${fmt(mb / (S / 1000), 0)} MB/s` }),
  row('unpaginated list, Node client, ms', median(apiNode), median(staticNode), { better: 'lower', unit: 'ms', absolute: 'baseline: the static file by the same Node client' }),
  row(`paginated list (limit=500, ${paginated[0].pages} pages, continue), ms`, median(paginated.map((p) => p.ms)), S, {
    better: 'lower',
    unit: 'ms',
    absolute: `${paginated[0].items.toLocaleString()} pods, ${fmt(paginated[0].bytes / 1e6, 1)} MB incl. JSON.parse of each page`,
  }),
  row('watch sendInitialEvents → initial-events-end bookmark, ms', median(streaming.map((s) => s.ms)), S, {
    better: 'lower',
    unit: 'ms',
    absolute: `${streaming[0].events.toLocaleString()} ADDED events, ${fmt(streaming[0].bytes / 1e6, 1)} MB; first event after ${fmt(median(streaming.map((s) => s.firstMs)), 0)} ms`,
  }),
  ...(memLists
    ? [
        row('server memory (VmRSS) after start, MB', memStart.rss / 1e6, null, {
          better: 'lower',
          unit: 'MB',
          absolute: `${fmt(memStart.rss / parsed.items.length, 0)} bytes per pod; after the lists ${fmt(memLists.rss / 1e6, 0)} MB, peak ${fmt(memLists.peak / 1e6, 0)} MB`,
          r: null,
        }),
      ]
    : []),
  ...fan.map((f) =>
    row(`${f.watchers} watchers on one pod patched in a loop: events/s delivered`, f.eventsPerSecond, null, {
      better: 'higher',
      unit: 'events/s',
      absolute: `${f.patches} patches in ${fmt(f.patchMs / 1000, 1)} s (${fmt(f.patchesPerSecond, 0)}/s); ${f.received.toLocaleString()}/${f.expected.toLocaleString()} delivered, ${f.lost} lost`,
      note: f.lost ? `${f.lost} events lost` : 'none lost',
      r: null,
    }),
  ),
];
writePart('scale', {
  scenarios: [
    {
      id: 7,
      title: `Simulated cluster at scale: ${parsed.items.length.toLocaleString()} pods (lookout-dev --scale ${PODS}); baseline: the same unpaginated list bytes as a static file from the same server, by curl`,
      available: true,
      rows,
      raw: { memStart, memLists, staticCurl, apiCurl, apiNode, staticNode, paginated, streaming, fanOut: fan, listBytes: full.body.length, seconds: (performance.now() - t0) / 1000 },
    },
  ],
});
const lost = fan.some((f) => f.lost > 0 || f.failures > 0);
if (lost) console.error('    watchers lost events or patches failed');
process.exit(lost ? 1 : 0);
