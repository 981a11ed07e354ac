// The plain-JS baseline of scripts/bench: what a careful hand-written page would do, with the same
// function names as the Lookout bench page's `window.lookoutBench`, so one harness measures both.
//
// - ingest/hold: split the bytes into lines, JSON.parse each watch event, keep the objects in a Map
//   keyed by namespace/name (the whole parsed object, as a JS UI keeps it).
// - mountTable/modify/unmount: a virtualized table (name, namespace, ready, status, restarts, age,
//   node; 32 px rows) in a 640 px scroll container that renders only the visible rows, batching
//   changes to the next animation frame like a live view.
(function () {
  'use strict';

  const ROW_HEIGHT = 32;
  const OVERSCAN = 4;
  const CHUNK = 8 << 20; // bytes decoded to a string at a time (never one giant string)

  /** Calls `onEvent` for every watch event in `bytes` (JSON lines); returns how many there were. */
  function eachEvent(bytes, onEvent) {
    const decoder = new TextDecoder();
    let count = 0;
    let start = 0;
    while (start < bytes.length) {
      let end = Math.min(start + CHUNK, bytes.length);
      if (end < bytes.length) {
        const nl = bytes.lastIndexOf(10, end - 1);
        end = nl >= start ? nl + 1 : bytes.indexOf(10, end) + 1 || bytes.length;
      }
      const lines = decoder.decode(bytes.subarray(start, end)).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line.length === 0) continue;
        onEvent(JSON.parse(line));
        count++;
      }
      start = end;
    }
    return count;
  }

  function keyOf(obj) {
    const m = obj.metadata || {};
    return (m.namespace || '') + '/' + (m.name || '');
  }

  /** Applies watch events to a Map the way a JS watch cache does; returns the events applied. */
  function apply(store, bytes) {
    let applied = 0;
    eachEvent(bytes, (ev) => {
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED':
          store.set(keyOf(ev.object), ev.object);
          applied++;
          break;
        case 'DELETED':
          store.delete(keyOf(ev.object));
          applied++;
          break;
        default: // BOOKMARK, ERROR: nothing to keep
      }
    });
    return applied;
  }

  // ---- the virtualized table -------------------------------------------------------------------

  const STYLE = `
#bench-baseline { height: 640px; overflow: auto; position: relative; contain: strict; width: 100%; }
#bench-baseline table { border-collapse: collapse; width: 100%; table-layout: fixed; font: 14px system-ui, sans-serif; }
#bench-baseline th, #bench-baseline td { height: ${ROW_HEIGHT}px; box-sizing: border-box; padding: 0 8px;
  text-align: left; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-bottom: 1px solid #ddd; }
#bench-baseline thead th { position: sticky; top: 0; background: #fff; z-index: 1; }
#bench-baseline .num { text-align: right; }
#bench-baseline .status[data-tone=ok] { color: #1a7f37; }
#bench-baseline .status[data-tone=error] { color: #cf222e; }
#bench-baseline .status[data-tone=progress] { color: #9a6700; }
`;

  function container() {
    let el = document.getElementById('bench-baseline');
    if (!el) {
      el = document.createElement('div');
      el.id = 'bench-baseline';
      document.body.appendChild(el);
    }
    if (!document.getElementById('bench-baseline-style')) {
      const style = document.createElement('style');
      style.id = 'bench-baseline-style';
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    return el;
  }

  function syntheticPod(i, createdSeconds) {
    const name = 'pod-' + String(i).padStart(5, '0');
    return {
      metadata: {
        name,
        namespace: 'bench',
        uid: 'uid-' + name,
        resourceVersion: '1',
        creationTimestamp: new Date((createdSeconds - (i % 86400)) * 1000).toISOString().replace('.000Z', 'Z'),
      },
      spec: { nodeName: 'node-' + (i % 8) },
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
      },
    };
  }

  function podStatus(p) {
    for (const c of p.status.containerStatuses || []) {
      if (c.state && c.state.waiting && c.state.waiting.reason) return c.state.waiting.reason;
    }
    return p.status.phase || 'Unknown';
  }

  function tone(status) {
    if (status === 'Running' || status === 'Succeeded' || status === 'Completed') return 'ok';
    if (status === 'Pending' || status === 'ContainerCreating' || status === 'Terminating') return 'progress';
    return status === 'Unknown' ? 'unknown' : 'error';
  }

  function age(seconds) {
    if (seconds < 120) return seconds + 's';
    if (seconds < 7200) return Math.floor(seconds / 60) + 'm';
    if (seconds < 172800) return Math.floor(seconds / 3600) + 'h';
    return Math.floor(seconds / 86400) + 'd';
  }

  let table = null; // the mounted table's state

  function cell(tr, tag, cls) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    tr.appendChild(el);
    return el;
  }

  function newRow() {
    const tr = document.createElement('tr');
    const name = cell(tr, 'th');
    name.scope = 'row';
    const link = document.createElement('a');
    name.appendChild(link);
    const ns = cell(tr, 'td');
    const ready = cell(tr, 'td');
    const statusTd = cell(tr, 'td');
    const status = document.createElement('span');
    status.className = 'status';
    statusTd.appendChild(status);
    const restarts = cell(tr, 'td', 'num');
    const ageTd = cell(tr, 'td');
    const time = document.createElement('time');
    ageTd.appendChild(time);
    const node = cell(tr, 'td');
    return { tr, link, ns, ready, status, restarts, time, node, pod: null, rv: null };
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function fillRow(r, p, now) {
    if (r.pod === p && r.rv === p.metadata.resourceVersion) {
      setText(r.time, age(now - p._created));
      return;
    }
    r.pod = p;
    r.rv = p.metadata.resourceVersion;
    r.tr.dataset.name = p.metadata.name;
    setText(r.link, p.metadata.name);
    r.link.href = '?page=logs&namespace=' + encodeURIComponent(p.metadata.namespace) + '&pod=' + encodeURIComponent(p.metadata.name);
    setText(r.ns, p.metadata.namespace);
    const cs = p.status.containerStatuses || [];
    let ready = 0;
    let restarts = 0;
    for (const c of cs) {
      if (c.ready) ready++;
      restarts += c.restartCount || 0;
    }
    setText(r.ready, ready + '/' + cs.length);
    const status = podStatus(p);
    setText(r.status, status);
    r.status.dataset.tone = tone(status);
    setText(r.restarts, String(restarts));
    r.time.dateTime = p.metadata.creationTimestamp;
    setText(r.time, age(now - p._created));
    setText(r.node, p.spec.nodeName || '');
  }

  function render() {
    const t = table;
    if (!t) return;
    t.dirty = false;
    const now = Math.floor(Date.now() / 1000);
    const total = t.rows.length;
    const first = Math.max(0, Math.floor(t.el.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(t.el.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(total, first + visible);
    while (t.pool.length < last - first) {
      const r = newRow();
      t.pool.push(r);
      t.tbody.insertBefore(r.tr, t.bottom);
    }
    while (t.pool.length > last - first) t.pool.pop().tr.remove();
    for (let i = first; i < last; i++) fillRow(t.pool[i - first], t.rows[i], now);
    t.top.style.height = first * ROW_HEIGHT + 'px';
    t.bottom.style.height = (total - last) * ROW_HEIGHT + 'px';
  }

  function schedule() {
    if (table && !table.dirty) {
      table.dirty = true;
      requestAnimationFrame(render);
    }
  }

  function spacer() {
    const tr = document.createElement('tr');
    tr.setAttribute('aria-hidden', 'true');
    tr.style.height = '0px';
    return tr;
  }

  function mountTable(n) {
    unmount();
    const el = container();
    const createdSeconds = Math.floor(Date.now() / 1000);
    const store = new Map();
    for (let i = 0; i < n; i++) {
      const p = syntheticPod(i, createdSeconds);
      p._created = Date.parse(p.metadata.creationTimestamp) / 1000;
      store.set(keyOf(p), p);
    }
    const keys = [...store.keys()].sort();
    const rows = keys.map((k) => store.get(k));
    const index = new Map(keys.map((k, i) => [k, i]));
    const tableEl = document.createElement('table');
    tableEl.setAttribute('aria-label', 'Pods');
    const head = tableEl.createTHead().insertRow();
    for (const h of ['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Age', 'Node']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      if (h === 'Restarts') th.className = 'num';
      head.appendChild(th);
    }
    const tbody = tableEl.createTBody();
    const top = spacer();
    const bottom = spacer();
    tbody.append(top, bottom);
    el.appendChild(tableEl);
    table = { el, tableEl, tbody, top, bottom, store, rows, index, pool: [], dirty: false, seed: 1 };
    table.onScroll = () => schedule();
    el.addEventListener('scroll', table.onScroll, { passive: true });
    render();
  }

  function modify(k) {
    const t = table;
    if (!t) return;
    for (let j = 0; j < k; j++) {
      t.seed = (Math.imul(t.seed, 1103515245) + 12345) >>> 0;
      const i = t.seed % t.rows.length;
      const old = t.rows[i];
      const c = old.status.containerStatuses[0];
      // A watch event brings a new object; replace it, as a store does.
      const next = {
        metadata: { ...old.metadata, resourceVersion: String(Number(old.metadata.resourceVersion) + 1) },
        spec: old.spec,
        status: { ...old.status, containerStatuses: [{ ...c, restartCount: c.restartCount + 1 }] },
        _created: old._created,
      };
      t.store.set(keyOf(next), next);
      t.rows[i] = next;
    }
    schedule();
  }

  function unmount() {
    if (!table) return;
    table.el.removeEventListener('scroll', table.onScroll);
    table.tableEl.remove();
    table = null;
  }

  const api = {
    ingest: (bytes) => apply(new Map(), bytes),
    /** Not part of the shared API: split + JSON.parse only, nothing kept (the ceiling of JS ingest). */
    parseOnly: (bytes) => eachEvent(bytes, () => {}),
    /** The store `hold` keeps alive (a property, so nothing can optimise it away). */
    held: null,
    hold: (bytes) => {
      api.held = null;
      const store = new Map();
      apply(store, bytes);
      api.held = store;
      return store.size;
    },
    wasmMemory: () => 0,
    mountTable,
    modify,
    unmount,
  };
  window.baselineBench = api;
})();
