// The network model of scenario 5 (scripts/bench) and what it records: Chromium's own network
// emulation (CDP `Network.emulateNetworkConditions`) on every request of a page — HTML, JS, wasm
// and API alike — and, per request, when it started and ended, its kind and bytes on the wire.
// Chromium does not delay the CORS preflights its network service sends itself: lookout-dev's
// `--preflight-latency-ms` gives them the same round trip (scripts/bench).

/** The model: round-trip latency and bandwidth both ways. */
export const MODEL = {
  latencyMs: Number(process.env.BENCH_LATENCY_MS || 50),
  mbit: Number(process.env.BENCH_BANDWIDTH_MBIT || 20),
};
export const MODEL_TEXT = `${MODEL.latencyMs} ms RTT, ${MODEL.mbit} Mbit/s down and up (CDP network emulation on every request; CORS preflights held ${MODEL.latencyMs} ms by lookout-dev)`;

/**
 * Applies the model to `page` (call before navigating), blocks the URLs matching `block` (CDP
 * patterns, `*` for any characters) and records its requests: returns the map of request id →
 * `{ url, method, type, start, end, bytes, failed }` (times: monotonic ms). Blocking goes through
 * CDP, not Playwright's routing: with a route set, Playwright answers every CORS preflight itself.
 */
export async function modelNetwork(context, page, block = []) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (block.length) await cdp.send('Network.setBlockedURLs', { urls: block });
  const bytesPerSecond = (MODEL.mbit * 1e6) / 8;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: MODEL.latencyMs,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (requests.has(e.requestId)) return;
    requests.set(e.requestId, { url: e.request.url, method: e.request.method, type: e.type, start: e.timestamp * 1000, wall: e.wallTime * 1000 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp * 1000, bytes: e.encodedDataLength });
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp * 1000, failed: true });
  });
  return requests;
}

/** What a request was for: HTML, JS, wasm, preflight (CORS OPTIONS), API (KAS) or other. */
export function kindOf(r) {
  if (r.method === 'OPTIONS') return 'preflight';
  if (r.type === 'Document') return 'HTML';
  if (/\.wasm(\?|$)/.test(r.url)) return 'wasm';
  if (r.url.includes('/k8s-proxy/')) return 'API';
  if (r.type === 'Script' || /\.m?js(\?|$)/.test(r.url)) return 'JS';
  return 'other';
}

/**
 * The requests of one load up to the first paint of the status at `paintEpoch` (epoch ms, the
 * page's `performance.timeOrigin + now()`): how many of each kind were answered before it (what
 * the paint could use; a watch started in the same task is not), the bytes that arrived before
 * it, and the round trips in a row on its critical path (a request's depth is
 * one more than the deepest request that ended before it started; a request behind a CORS
 * preflight is one deeper than its preflight). Blocked requests never reach the network and do
 * not count. The waterfall lists every request started before the paint, in ms since the
 * document request.
 */
export function beforePaint(requests, paintEpoch) {
  const all = [...requests.values()].filter((r) => !r.failed).sort((a, b) => a.start - b.start);
  const doc = all.find((r) => r.type === 'Document');
  if (!doc) return null;
  const paint = paintEpoch - (doc.wall - doc.start);
  const list = all.filter((r) => r.start <= paint);
  const preflightOf = new Map();
  for (const p of list.filter((r) => r.method === 'OPTIONS')) {
    const actual = list.find((r) => r.method !== 'OPTIONS' && r.url === p.url && r.start <= p.start && !preflightOf.has(r));
    if (actual) preflightOf.set(actual, p);
  }
  const depth = new Map();
  const depthOf = (r) => {
    if (!depth.has(r)) {
      const pre = preflightOf.get(r);
      const before = list.filter((q) => q !== r && q.end != null && q.end <= r.start);
      depth.set(r, pre ? depthOf(pre) + 1 : 1 + Math.max(0, ...before.map(depthOf)));
    }
    return depth.get(r);
  };
  const done = list.filter((r) => r.end != null && r.end <= paint);
  const byKind = {};
  for (const r of done) byKind[kindOf(r)] = (byKind[kindOf(r)] || 0) + 1;
  const at = (t) => Math.round(t - doc.start);
  return {
    paintMs: at(paint),
    requests: done.length,
    byKind,
    roundTrips: Math.max(0, ...done.map(depthOf)),
    bytes: done.reduce((n, r) => n + (r.bytes || 0), 0),
    waterfall: list.map((r) => ({
      kind: kindOf(r),
      name: r.method === 'OPTIONS' ? `OPTIONS ${shortName(r.url)}` : shortName(r.url),
      start: at(r.start),
      end: r.end == null ? null : at(r.end),
      bytes: r.bytes ?? null,
      roundTrip: depthOf(r),
    })),
  };
}

/** The last path segment (with an abridged query) of a URL. */
function shortName(url) {
  const u = new URL(url);
  const last = u.pathname.split('/').filter(Boolean).pop() || '/';
  const query = u.search.length > 40 ? `${u.search.slice(0, 39)}…` : u.search;
  return decodeURIComponent(last + query);
}

/** "1 HTML, 3 JS, 1 wasm, 1 preflight, 1 API" in a fixed order. */
export function kindsText(byKind) {
  return ['HTML', 'JS', 'wasm', 'preflight', 'API', 'other']
    .filter((k) => byKind[k])
    .map((k) => `${byKind[k]} ${k}`)
    .join(', ');
}
