// Scenario 8's plain-JS baseline (bench/spa-scale.mjs): what a hand-written page does with the
// same pods from the same lookout-dev — the same paginated list (limit=500 + continue, rows shown
// as pages arrive, "loading N of M"), then a watch from the list's resourceVersion; pods in a Map
// with a precomputed lower-case search text, a name-ordered key array, a virtualized table (33 px
// rows, 8 rows of overscan) redrawn once per animation frame, filter and sort over an array, and a
// Ctrl+K palette over the names. Selectors mirror the app's, so one driver measures both.
(function () {
  'use strict';

  const ROW = 33;
  const OVERSCAN = 8;
  const COLUMNS = ['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Age', 'Node'];

  const pods = new Map(); // namespace/name → { pod, search, status }
  let keys = []; // namespace/name order
  let shown = [];
  let expected = null;
  let text = '';
  let sort = 0;
  let descending = false;
  let dirty = true; // `shown` must be recomputed
  let due = false;

  const keyOf = (p) => p.metadata.namespace + '/' + p.metadata.name;

  function statusOf(p) {
    if (p.metadata.deletionTimestamp) return 'Terminating';
    for (const c of p.status.containerStatuses || []) {
      if (c.state && c.state.waiting && c.state.waiting.reason) return c.state.waiting.reason;
    }
    return p.status.reason || p.status.phase || 'Unknown';
  }

  function entry(p) {
    const status = statusOf(p);
    const labels = Object.entries(p.metadata.labels || {}).flat();
    const search = [p.metadata.name, p.metadata.namespace, ...labels, status].join('\0').toLowerCase();
    return { pod: p, search, status };
  }

  function upsert(p) {
    const k = keyOf(p);
    if (!pods.has(k)) {
      // Binary search: list pages arrive in order, watch events anywhere.
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid] < k) lo = mid + 1;
        else hi = mid;
      }
      keys.splice(lo, 0, k);
    }
    pods.set(k, entry(p));
  }

  function remove(p) {
    const k = keyOf(p);
    if (pods.delete(k)) keys.splice(keys.indexOf(k), 1);
  }

  const cellValue = [
    (e) => e.pod.metadata.name,
    (e) => e.pod.metadata.namespace,
    (e) => (e.pod.status.containerStatuses || []).filter((c) => c.ready).length,
    (e) => e.status,
    (e) => (e.pod.status.containerStatuses || []).reduce((n, c) => n + (c.restartCount || 0), 0),
    (e) => -Date.parse(e.pod.metadata.creationTimestamp || 0),
    (e) => e.pod.spec.nodeName || '',
  ];

  function recompute() {
    const needle = text.trim().toLowerCase();
    let list = needle ? keys.filter((k) => pods.get(k).search.includes(needle)) : keys;
    if (sort > 0) {
      const value = cellValue[sort];
      const keyed = list.map((k) => [value(pods.get(k)), k]);
      keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      list = keyed.map((x) => x[1]);
    }
    shown = descending ? [...list].reverse() : list;
    dirty = false;
  }

  function schedule() {
    dirty = true;
    if (!due) {
      due = true;
      requestAnimationFrame(render);
    }
  }

  let scroller;
  let tbody;
  let count;
  let progress;

  function age(seconds) {
    if (seconds < 120) return seconds + 's';
    if (seconds < 7200) return Math.floor(seconds / 60) + 'm';
    if (seconds < 172800) return Math.floor(seconds / 3600) + 'h';
    return Math.floor(seconds / 86400) + 'd';
  }

  function rowOf(e, now) {
    const p = e.pod;
    const tr = document.createElement('tr');
    tr.className = 'row';
    tr.dataset.name = p.metadata.name;
    tr.dataset.namespace = p.metadata.namespace;
    const cs = p.status.containerStatuses || [];
    const values = [
      p.metadata.name,
      p.metadata.namespace,
      cs.filter((c) => c.ready).length + '/' + cs.length,
      e.status,
      String(cs.reduce((n, c) => n + (c.restartCount || 0), 0)),
      age(Math.max(0, now - Math.floor(Date.parse(p.metadata.creationTimestamp) / 1000))),
      p.spec.nodeName || '—',
    ];
    for (const v of values) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    return tr;
  }

  function render() {
    due = false;
    if (dirty) recompute();
    const now = Math.floor(Date.now() / 1000);
    const first = Math.floor(scroller.scrollTop / ROW);
    const start = Math.max(0, first - OVERSCAN);
    const end = Math.min(shown.length, first + Math.ceil(scroller.clientHeight / ROW) + 1 + OVERSCAN);
    const top = document.createElement('tr');
    top.style.height = start * ROW + 'px';
    const bottom = document.createElement('tr');
    bottom.style.height = (shown.length - end) * ROW + 'px';
    const rows = [top];
    for (let i = start; i < end; i++) rows.push(rowOf(pods.get(shown[i]), now));
    rows.push(bottom);
    tbody.replaceChildren(...rows);
    const hidden = keys.length - shown.length;
    count.textContent = hidden ? `${shown.length} of ${keys.length} (${hidden} hidden by the filter)` : String(shown.length);
    progress.hidden = expected == null;
    progress.textContent = expected == null ? '' : `Loading: ${keys.length} of ${expected} pods in, more arriving…`;
  }

  async function list() {
    let token = '';
    for (;;) {
      const res = await fetch('/k8s-proxy/api/v1/pods?limit=500' + (token ? '&continue=' + encodeURIComponent(token) : ''));
      const page = await res.json();
      for (const p of page.items) upsert(p);
      token = page.metadata.continue || '';
      expected = token ? keys.length + (page.metadata.remainingItemCount || 0) : null;
      schedule();
      if (!token) return page.metadata.resourceVersion;
    }
  }

  async function watch(rv) {
    const res = await fetch('/k8s-proxy/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=' + rv);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const lines = (rest + decoder.decode(value, { stream: true })).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        if (!line) continue;
        const ev = JSON.parse(line);
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') upsert(ev.object);
        else if (ev.type === 'DELETED') remove(ev.object);
        else continue;
        schedule();
      }
    }
  }

  function palette() {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    const input = document.createElement('input');
    input.setAttribute('aria-label', 'Object name');
    const results = document.createElement('ul');
    results.id = 'palette-results';
    const show = () => {
      const needle = input.value.toLowerCase();
      const found = [];
      for (const k of keys) {
        const name = pods.get(k).pod.metadata.name;
        if (name.toLowerCase().includes(needle)) found.push('Pod ' + k);
        if (found.length >= 50) break;
      }
      found.sort((a, b) => a.length - b.length);
      results.replaceChildren(
        ...found.slice(0, 12).map((label) => {
          const li = document.createElement('li');
          li.textContent = label;
          return li;
        }),
      );
    };
    input.addEventListener('input', show);
    dialog.append(input, results);
    document.body.appendChild(dialog);
    input.focus();
    show();
  }

  function mount() {
    const tools = document.createElement('div');
    const filter = document.createElement('input');
    filter.type = 'search';
    filter.setAttribute('aria-label', 'Filter pods');
    filter.addEventListener('input', () => {
      text = filter.value;
      schedule();
    });
    count = document.createElement('span');
    count.className = 'count';
    progress = document.createElement('span');
    progress.className = 'progress';
    tools.append(filter, count, progress);
    scroller = document.createElement('div');
    scroller.style.cssText = 'height: 640px; overflow-y: auto';
    scroller.addEventListener('scroll', () => schedule());
    const table = document.createElement('table');
    table.setAttribute('aria-label', 'Pods');
    const head = document.createElement('tr');
    COLUMNS.forEach((title, i) => {
      const th = document.createElement('th');
      const button = document.createElement('button');
      button.textContent = title;
      button.addEventListener('click', () => {
        descending = sort === i ? !descending : false;
        sort = i;
        schedule();
      });
      th.appendChild(button);
      head.appendChild(th);
    });
    const thead = document.createElement('thead');
    thead.appendChild(head);
    tbody = document.createElement('tbody');
    table.append(thead, tbody);
    scroller.appendChild(table);
    const style = document.createElement('style');
    style.textContent = 'td, th { height: 32px; padding: 0 6px; border-bottom: 1px solid #ddd; white-space: nowrap; font: 14px sans-serif }';
    document.head.appendChild(style);
    document.body.append(tools, scroller);
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'k' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        palette();
      }
    });
    schedule();
    list().then(watch);
  }

  mount();
})();
