// In-page harness of scripts/bench: the same code measures `window.lookoutBench` (Lookout's bench
// page) and `window.baselineBench` (bench/baseline.js). Injected with page.addScriptTag.
(function () {
  'use strict';

  const impls = {
    lookout: () => window.lookoutBench,
    baseline: () => window.baselineBench,
    // Ingest only: the baseline without its Map (JSON.parse of every line, nothing kept).
    parseOnly: () => window.baselineBench && { ingest: window.baselineBench.parseOnly },
    // Ingest and hold only: GitLab's own client (bench/gitlab-client-store.js).
    gitlabClient: () => window.gitlabClientBench,
  };
  function impl(name) {
    const i = impls[name]();
    if (!i) throw new Error(`no ${name} implementation on this page`);
    return i;
  }

  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  /** After a DOM change: two animation frames (layout and paint done) and a task. */
  async function painted() {
    await frame();
    await frame();
    await sleep(0);
  }
  async function collect() {
    if (typeof window.gc === 'function') {
      window.gc();
      await sleep(50);
      window.gc();
    }
  }

  function wasmMemory() {
    const l = window.lookoutBench;
    return l && typeof l.wasmMemory === 'function' ? l.wasmMemory() : 0;
  }

  /**
   * Rows in the table under `id`: in the DOM, visible in its scroll viewport, and whether they
   * fill that viewport down to its bottom edge (a virtualized table must not leave it blank).
   */
  function rowsIn(id) {
    const el = document.getElementById(id);
    if (!el) return { rows: 0, visibleRows: 0, filled: false, text: '' };
    const rows = [...el.querySelectorAll('tbody tr, [role=row]')].filter((r) => !r.hasAttribute('aria-hidden') && r.getBoundingClientRect().height > 0);
    let viewport = el;
    for (const c of el.querySelectorAll('*')) {
      if (c.scrollHeight > c.clientHeight + 1 && c.clientHeight > 0 && /(auto|scroll)/.test(getComputedStyle(c).overflowY)) {
        viewport = c;
        break;
      }
    }
    const v = viewport.getBoundingClientRect();
    const visible = rows.filter((r) => {
      const b = r.getBoundingClientRect();
      return b.bottom > v.top && b.top < v.bottom;
    });
    const lastBottom = visible.length ? Math.max(...visible.map((r) => r.getBoundingClientRect().bottom)) : v.top;
    return { rows: rows.length, visibleRows: visible.length, filled: lastBottom >= v.bottom - 2, viewportHeight: Math.round(v.height), text: el.textContent.slice(0, 2000) };
  }

  const containerOf = { lookout: 'bench-lookout', baseline: 'bench-baseline' };

  async function ingest(name) {
    const data = window.__benchData.data;
    await collect();
    await painted();
    const t0 = performance.now();
    const events = impl(name).ingest(data);
    const ms = performance.now() - t0;
    return { ms, events };
  }

  async function mount(name, n) {
    await collect();
    await painted();
    const t0 = performance.now();
    impl(name).mountTable(n);
    await painted();
    const ms = performance.now() - t0;
    const { rows, visibleRows, filled, viewportHeight, text } = rowsIn(containerOf[name]);
    impl(name).unmount();
    await painted();
    return { ms, rows, visibleRows, filled, viewportHeight, firstRowShown: text.includes('pod-00000') };
  }

  function percentile(sorted, p) {
    if (!sorted.length) return null;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[i];
  }

  /** `rate` MODIFIED events per second for `seconds` against a mounted `n`-row table. */
  async function storm(name, n, seconds, rate) {
    const it = impl(name);
    it.mountTable(n);
    await painted();
    await sleep(300);
    await collect();
    await painted();
    const frames = [];
    let running = true;
    const loop = (ts) => {
      frames.push(ts);
      if (running) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    const longTasks = [];
    let po = null;
    try {
      po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      po.observe({ entryTypes: ['longtask'] });
    } catch (_) {
      po = null;
    }
    const total = Math.round(rate * seconds);
    let applied = 0;
    let modifyMs = 0;
    const start = performance.now();
    await new Promise((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - start;
        const due = Math.min(total, Math.floor((elapsed * rate) / 1000));
        if (due > applied) {
          const t = performance.now();
          it.modify(due - applied);
          modifyMs += performance.now() - t;
          applied = due;
        }
        if (elapsed >= seconds * 1000) {
          if (applied < total) {
            it.modify(total - applied);
            applied = total;
          }
          clearInterval(id);
          resolve();
        }
      };
      const id = setInterval(tick, 10);
    });
    const end = performance.now();
    await painted();
    running = false;
    if (po) po.disconnect();
    const { rows } = rowsIn(containerOf[name]);
    it.unmount();
    await painted();
    const inWindow = frames.filter((t) => t >= start && t <= end);
    const gaps = [];
    for (let i = 1; i < inWindow.length; i++) gaps.push(inWindow[i] - inWindow[i - 1]);
    const FRAME = 1000 / 60;
    let dropped = 0;
    for (const g of gaps) if (g > 1.5 * FRAME) dropped += Math.floor(g / FRAME) - 1;
    const sorted = [...gaps].sort((a, b) => a - b);
    return {
      seconds: (end - start) / 1000,
      events: applied,
      frames: inWindow.length,
      expectedFrames: Math.round((end - start) / FRAME),
      dropped,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      worst: sorted.length ? sorted[sorted.length - 1] : null,
      modifyMs,
      longTasks: longTasks.length,
      longTaskMs: longTasks.reduce((a, b) => a + b, 0),
      rowsInDom: rows,
    };
  }

  /**
   * Heap and wasm memory before and after `hold` keeps the fixture's objects. The input bytes stay
   * alive through both readings (Chromium counts ArrayBuffers in usedJSHeapSize), so the difference
   * is what the held objects cost.
   */
  async function memory(name) {
    const it = impl(name);
    const data = window.__benchData.data;
    await collect();
    await sleep(100);
    const before = { heap: performance.memory.usedJSHeapSize, wasm: wasmMemory() };
    const t0 = performance.now();
    const held = it.hold(data);
    const holdMs = performance.now() - t0;
    await collect();
    await sleep(300);
    await collect();
    const after = { heap: performance.memory.usedJSHeapSize, wasm: wasmMemory() };
    return { before, after, held, holdMs, jsonBytes: data.length };
  }

  window.benchHarness = { ingest, mount, storm, memory, painted };
})();
