// What a page downloads before it shows anything, per element, against issue 13's goals (brotli
// -q 11, as lookout-dev and a CDN serve it). scripts/bench reports the figures (scenario 6);
// `node bench/budgets.mjs [dist]` checks them for scripts/test and exits 1 when one is over.
//
// Counted: the wasm, its wasm-bindgen JS and the snippets that JS imports, which a page cannot
// show anything without. Not counted: what loads later (the SPA's page chunks, the environment's drawer) or
// instead (the flux-status loader file, which a host may inline).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

export const BUDGETS = [
  { name: '<lookout-flux-status>', goal: 80_000, dir: 'embed/flux-status', files: [/^lookout-flux-status(_bg\.wasm|\.js)$/] },
  { name: '<lookout-environment> first view', goal: 150_000, dir: 'embed', files: [/^lookout-environment(_bg\.wasm|\.js)$/] },
  {
    name: 'SPA first load',
    goal: 350_000,
    dir: '',
    // With the loader of its page chunks (scripts/lib.sh split_app), which the app's JS imports.
    files: [/^lookout-app-[0-9a-f]+(_bg\.wasm|\.js)$/, /^__wasm_split-[0-9a-f]+\.js$/],
  },
];

/** The wasm-bindgen snippets a bundle's JS imports (trunk copies every snippet it finds). */
function snippets(base, js) {
  const text = readFileSync(join(base, js), 'utf8');
  return [...text.matchAll(/from '\.\/(snippets\/[^']+\.js)'/g)].map((m) => m[1]);
}

/** Each budget's brotli bytes in `dist`: `{ name, goal, brotli, files }` (brotli null: not built). */
export function measure(dist) {
  return BUDGETS.map(({ name, goal, dir, files }) => {
    const base = join(dist, dir);
    const entries = existsSync(base) ? readdirSync(base).filter((f) => files.some((re) => re.test(f))) : [];
    // The bundle itself is a wasm and its JS; without both, it was not built.
    if (entries.filter((f) => files[0].test(f)).length !== 2) return { name, goal, brotli: null, files: entries };
    const all = [...new Set([...entries, ...entries.filter((f) => f.endsWith('.js')).flatMap((js) => snippets(base, js))])];
    const brotli = all.reduce(
      (sum, f) => sum + execFileSync('brotli', ['-q', '11', '-c', join(base, f)], { maxBuffer: 1 << 30 }).length,
      0,
    );
    return { name, goal, brotli, files: all };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2] || join(ROOT, 'dist');
  let over = 0;
  for (const m of measure(dist)) {
    const verdict = m.brotli == null ? 'NOT BUILT' : m.brotli <= m.goal ? 'ok' : 'OVER';
    if (verdict !== 'ok') over++;
    console.log(
      `${m.name}: ${m.brotli?.toLocaleString('en-US') ?? '—'} of ${m.goal.toLocaleString('en-US')} bytes brotli: ${verdict} (${m.files.join(', ')})`,
    );
  }
  process.exit(over ? 1 : 0);
}
