// Scenario 5 of scripts/bench: time to first status. Cold page loads (a fresh browser context
// each) of lookout-dev's GitLab stand-in page (/embed-demo.html: session cookie, CSRF token in the
// page, KAS on another origin) under the network model of bench/network.mjs, from navigation start
// until the status is painted, for four sides measured in turn in the same run:
// - page: the demo page as is (both widget bundles), with the bare fetch beside it;
// - lookout: <lookout-flux-status> alone (the environment bundle blocked), its loader's early-request
//   block inlined in the page as GitLab would (`javascript_tag nonce: true`);
// - loader: the same with the loader file only (`?early=none`: nothing inlined);
// - plain: the bare fetch alone (every widget bundle blocked): a plain `fetch` of the
//   Kustomizations with the session (cookie, GitLab-Agent-Id, CSRF token) started at document
//   start, Ready conditions rendered into a div — one request, the physical limit;
// - gitlab: GitLab's own client, @gitlab/cluster-client (bench/gitlab-client.js bundled into the
//   bench's dist/peer/), loaded at document start, showing the same status and the demo pods.
// Per side: the time, and the requests, round trips and bytes before the first paint (CDP).
import { median, minMax, ratios, row, fmt, bytes, log } from './lib.mjs';
import { MODEL_TEXT, modelNetwork, beforePaint, kindsText } from './network.mjs';

const FLUX_RESOURCE = 'kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps';
const API = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations';
const GITLAB_CLIENT = '/peer/gitlab-client.js';

/**
 * What each side shows and blocks; `subject` is what its time and requests are of; `query` asks
 * lookout-dev for the page without the loader's inlined early-request block (`early=none`), so
 * that a side without Lookout sends no Lookout request.
 */
const SIDES = {
  page: { block: [], keys: ['lookout', 'baseline'], subject: 'lookout', query: '' },
  lookout: { block: ['*/embed/lookout-environment*', '*/embed/drawer/*'], keys: ['lookout'], subject: 'lookout', query: '' },
  loader: { block: ['*/embed/lookout-environment*', '*/embed/drawer/*'], keys: ['lookout'], subject: 'lookout', query: '?early=none' },
  plain: { block: ['*/embed/*'], keys: ['baseline'], subject: 'baseline', query: '?early=none' },
  gitlab: { block: ['*/embed/*'], keys: ['gitlab'], subject: 'gitlab', query: '?early=none' },
};

/**
 * The in-page probe (an init script): records when each watched element first appears, painted
 * (the next animation frame), as ms since navigation and as epoch ms; runs the bare fetch when
 * asked; loads the GitLab client page script when asked.
 */
function probe({ keys, kasUrl, api, gitlab }) {
  const out = (window.__benchStatus = {});
  const selectors = { lookout: 'lookout-flux-status[data-state]', gitlab: '#bench-gitlab-client[data-state]' };
  const seen = (key, text) => {
    out[key + 'Text'] = text;
    requestAnimationFrame(() => {
      out[key] = performance.now();
      out[key + 'Epoch'] = performance.timeOrigin + out[key];
    });
  };
  const check = () => {
    for (const key of keys) {
      const el = selectors[key] && out[key + 'Text'] === undefined && document.querySelector(selectors[key]);
      if (el) seen(key, el.getAttribute('data-state'));
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  if (gitlab) {
    window.benchGitLabClient = gitlab.settings;
    import(gitlab.script).catch((e) => (out.error = `GitLab client page: ${e}`));
  }
  if (!keys.includes('baseline')) return;
  const start = () => {
    const meta = document.querySelector('meta[name=csrf-token]');
    if (!meta) return false;
    fetch(kasUrl + api, { credentials: 'include', headers: { 'GitLab-Agent-Id': '1', 'X-CSRF-Token': meta.content } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((list) => {
        const div = document.createElement('div');
        div.id = 'bench-status-baseline';
        div.textContent = (list.items || [])
          .map((k) => {
            const c = ((k.status && k.status.conditions) || []).find((c) => c.type === 'Ready');
            return `${k.metadata.name}: ${c ? (c.status === 'True' ? 'Ready' : c.reason || 'Not ready') : 'Unknown'}`;
          })
          .join(', ');
        document.documentElement.appendChild(div);
        seen('baseline', div.textContent);
      })
      .catch((e) => (out.error = `bare fetch: ${e}`));
    return true;
  };
  if (!start()) {
    const mo = new MutationObserver(() => start() && mo.disconnect());
    mo.observe(document, { subtree: true, childList: true });
  }
}

/** Scenario 5 against the lookout-dev at `url` (run with `--preflight-latency-ms`). */
export async function firstStatus(browser, { url, reps }) {
  // lookout-dev redirects /embed-demo.html to its GitLab stand-in (another origin).
  const res = await fetch(`${url}/embed-demo.html`);
  const html = res.ok ? await res.text() : '';
  if (!html.includes('<lookout-flux-status')) throw new Error(`${res.url}: no <lookout-flux-status> on the embed demo page`);
  const pageUrl = res.url;
  const origin = new URL(pageUrl).origin;
  const kasUrl = `${url}/k8s-proxy`;
  const hasGitLab = (await fetch(origin + GITLAB_CLIENT, { method: 'HEAD' })).ok;
  if (!hasGitLab) log(`first status: no ${GITLAB_CLIENT} in the dist: the GitLab client side is left out`);
  const sides = Object.keys(SIDES).filter((s) => s !== 'gitlab' || hasGitLab);

  /** One cold load of `side` in a fresh context: its times and its requests before the paint. */
  async function load(side) {
    const { block, keys, subject, query } = SIDES[side];
    // The injected GitLab client script is not the page's own: a CSP meant for the page's
    // scripts (nonces) must not refuse it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: side === 'gitlab' });
    const gitlab = side === 'gitlab' ? { script: origin + GITLAB_CLIENT, settings: { kasUrl, agentId: '1', fluxResource: FLUX_RESOURCE, namespace: 'demo' } } : null;
    await context.addInitScript(probe, { keys, kasUrl, api: API, gitlab });
    const page = await context.newPage();
    const requests = await modelNetwork(context, page, block);
    await page.goto(pageUrl + query);
    const status = await page
      .waitForFunction((keys) => {
        const s = window.__benchStatus;
        return s && (s.error || keys.every((k) => s[k] !== undefined)) ? s : null;
      }, keys, { timeout: 60_000 })
      .then((h) => h.jsonValue());
    await page.waitForTimeout(200); // the last network events of the paint arrive
    await context.close();
    if (status.error) throw new Error(status.error);
    return { status, net: beforePaint(requests, status[subject + 'Epoch']) };
  }

  const runs = Object.fromEntries(sides.map((s) => [s, []]));
  for (const side of sides) await load(side); // untimed: the servers' and the browser's first work
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 ? [...sides].reverse() : sides;
    for (const side of order) runs[side].push(await load(side));
    log(`first status rep ${rep + 1}: ${sides.map((s) => `${s} ${fmt(runs[s][rep].status[SIDES[s].subject], 0)} ms`).join(', ')}; same-page bare fetch ${fmt(runs.page[rep].status.baseline, 0)} ms`);
  }
  const times = (side, key = SIDES[side].subject) => runs[side].map((r) => r.status[key]);
  /** The analysis of the side's median load. */
  const typical = (side) => {
    const t = times(side);
    const m = median(t);
    return runs[side][t.reduce((best, x, i) => (Math.abs(x - m) < Math.abs(t[best] - m) ? i : best), 0)]?.net;
  };
  const L = median(times('lookout'));
  const P = median(times('plain'));
  const G = hasGitLab ? median(times('gitlab')) : null;
  const net = Object.fromEntries(sides.map((s) => [s, typical(s)]));
  const state = runs.lookout.at(-1)?.status.lookoutText;
  const requestsText = (s) => (net[s] ? `${net[s].requests} (${kindsText(net[s].byKind)})` : '—');
  const rows = [
    row('demo page as is (both widget bundles): navigation → <lookout-flux-status> painted vs the bare fetch on the same page, ms (lower is better)', median(times('page')), median(times('page', 'baseline')), {
      better: 'lower',
      unit: 'ms',
      absolute: `${fmt(median(times('page')), 0)} ms vs ${fmt(median(times('page', 'baseline')), 0)} ms`,
      range: minMax(ratios(times('page'), times('page', 'baseline'))),
    }),
    row('<lookout-flux-status> alone (environment bundle blocked; the loader\'s early request inlined in the page) vs the bare fetch alone, ms (lower is better; goal ≤ 1.25)', L, P, {
      better: 'lower',
      unit: 'ms',
      absolute: `${fmt(L, 0)} ms vs ${fmt(P, 0)} ms; Lookout showed "${state}"`,
      range: minMax(ratios(times('lookout'), times('plain'))),
    }),
    row('<lookout-flux-status> alone with the loader file only (nothing inlined) vs the bare fetch alone, ms (lower is better)', median(times('loader')), P, {
      better: 'lower',
      unit: 'ms',
      absolute: `${fmt(median(times('loader')), 0)} ms vs ${fmt(P, 0)} ms`,
      range: minMax(ratios(times('loader'), times('plain'))),
    }),
  ];
  if (hasGitLab) {
    rows.push(
      row('@gitlab/cluster-client page (Flux status + demo pods) vs the bare fetch alone, ms (lower is better)', G, P, {
        better: 'lower',
        unit: 'ms',
        absolute: `${fmt(G, 0)} ms vs ${fmt(P, 0)} ms`,
        range: minMax(ratios(times('gitlab'), times('plain'))),
      }),
      row('<lookout-flux-status> alone vs the @gitlab/cluster-client page, ms (lower is better)', L, G, {
        better: 'lower',
        unit: 'ms',
        absolute: `${fmt(L, 0)} ms vs ${fmt(G, 0)} ms`,
        range: minMax(ratios(times('lookout'), times('gitlab'))),
      }),
    );
  }
  rows.push(
    row('requests answered before the first paint: <lookout-flux-status> alone vs the bare fetch alone (lower is better)', net.lookout?.requests, net.plain?.requests, {
      better: 'lower',
      absolute: `Lookout ${requestsText('lookout')}; bare fetch ${requestsText('plain')}; GitLab client ${requestsText('gitlab')}; demo page as is ${requestsText('page')}`,
    }),
    row('round trips in a row before the first paint: <lookout-flux-status> alone vs the bare fetch alone (lower is better)', net.lookout?.roundTrips, net.plain?.roundTrips, {
      better: 'lower',
      absolute: `loader file only ${net.loader?.roundTrips ?? '—'}; GitLab client ${net.gitlab?.roundTrips ?? '—'}; demo page as is ${net.page?.roundTrips ?? '—'}`,
    }),
  );
  if (hasGitLab) {
    rows.push(
      row('bytes on the wire before the first paint: <lookout-flux-status> alone vs the @gitlab/cluster-client page (lower is better)', net.lookout?.bytes, net.gitlab?.bytes, {
        better: 'lower',
        unit: 'B',
        absolute: `bare fetch alone ${bytes(net.plain?.bytes)} B (HTML + one API answer)`,
      }),
    );
  }
  const details = ['', `Scenario 5, waterfall of a median load per side (ms since the document request; ${MODEL_TEXT}; round trip = position on the critical path):`, ''];
  for (const side of sides) {
    const n = net[side];
    if (!n) continue;
    details.push(`- **${side}** (status painted at ${n.paintMs} ms): ` + n.waterfall.map((w) => `${w.name} [${w.kind}] ${w.start}–${w.end ?? '…'} (#${w.roundTrip})`).join('; '));
  }
  return {
    id: 5,
    title: `Time to first status, cold page load, ${MODEL_TEXT}`,
    available: true,
    rows,
    details,
    raw: { sides, runs: Object.fromEntries(sides.map((s) => [s, runs[s].map((r) => ({ ms: r.status[SIDES[s].subject], net: r.net }))])), pageUrl, kasUrl, reps },
  };
}
