// The /bench page's own runner: "Run" measures the 10,000-pod table (first render, then 1,000
// MODIFIED events per second for 10 s) for Lookout and for the plain-JS baseline on this page,
// with the harness scripts/bench uses, and shows the figures. Loaded by app/src/bench.rs.
(function () {
  'use strict';
  const fmt = (x, digits = 1) => (x == null ? '—' : Number(x).toFixed(digits));
  async function run(button, out) {
    button.disabled = true;
    out.textContent = 'Running… (about 30 s; keep this tab in front)';
    const h = window.benchHarness;
    const result = {};
    for (const name of ['lookout', 'baseline']) {
      const first = await h.mount(name, 10000);
      const storm = await h.storm(name, 10000, 10, 1000);
      result[name] = { first, storm };
    }
    const rows = [
      ['first render of 10,000 rows, ms', (r) => r.first.ms],
      ['frames painted in 10 s', (r) => r.storm.frames, 0],
      ['dropped frames', (r) => r.storm.dropped, 0],
      ['p95 frame time, ms', (r) => r.storm.p95],
      ['main thread in modify(), ms', (r) => r.storm.modifyMs],
    ];
    const table = document.createElement('table');
    table.className = 'lo-table';
    table.setAttribute('aria-label', 'Benchmark results');
    table.innerHTML = '<thead><tr><th scope="col">metric</th><th scope="col" class="lo-num">Lookout</th><th scope="col" class="lo-num">plain JS</th><th scope="col" class="lo-num">ratio</th></tr></thead>';
    const body = document.createElement('tbody');
    for (const [label, get, digits] of rows) {
      const a = get(result.lookout);
      const b = get(result.baseline);
      const tr = document.createElement('tr');
      tr.dataset.metric = label;
      for (const [text, num] of [[label, false], [fmt(a, digits), true], [fmt(b, digits), true], [b ? fmt(a / b, 2) : '—', true]]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (num) td.className = 'lo-num';
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    out.replaceChildren(table);
    window.benchPageResult = result;
    button.disabled = false;
  }
  // Delegated: the page's view may mount after this script runs.
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('#bench-run');
    const out = document.getElementById('bench-results');
    if (!button || !out || button.disabled) return;
    run(button, out).catch((e) => {
      out.textContent = `Failed: ${e}`;
      button.disabled = false;
    });
  });
})();
