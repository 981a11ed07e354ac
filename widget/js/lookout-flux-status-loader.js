// The module a host page loads for <lookout-flux-status>: it sends each widget's first request (the
// list of its named object, with the GitLab session: cookie + the page's CSRF token; a token never
// reaches this file) at once, while the wasm downloads and compiles (`compileStreaming`), and
// leaves the pending response for the widget, which paints from it and watches from its
// resourceVersion (widget/src/flux_status/early_get.rs takes it). Exports `mount`, as the bundle.
//
//   <link rel="modulepreload" href="/embed/flux-status/lookout-flux-status-loader.js">
//   <link rel="modulepreload" href="/embed/flux-status/lookout-flux-status.js">
//   <link rel="preload" href="/embed/flux-status/lookout-flux-status_bg.wasm" as="fetch" type="application/wasm" crossorigin>
//   <script type="module" src="/embed/flux-status/lookout-flux-status-loader.js"></script>
//
// A host that can inline a script (GitLab: `javascript_tag nonce: true`) may also inline the block
// between the `lookout:early` markers, after its <lookout-flux-status> elements: the first request
// then leaves with the page, one round trip before this file arrives (lookout-dev's demo page
// does). The block is a classic script too; running it again sends nothing twice.
// lookout:early-start
{
  /** Where the widget looks for early responses: `"<agent id> <url>"` → `fetch` promise. */
  const early = (globalThis[Symbol.for('lookout-flux-status.early-get')] ??= new Map());
  /**
   * The keys ever sent early: the widget removes what it takes from `early`, and a later pass
   * (DOMContentLoaded, the loader after the inlined block) must not send that request again.
   */
  const sent = (globalThis[Symbol.for('lookout-flux-status.early-sent')] ??= new Set());

  /** Percent-encoding as the widget's own (lookout_client::api::query::encode): all but unreserved. */
  const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  /** The objects with a sync status, the only ones the widget shows (`<group>/<plural>`). */
  const SYNCED = new Set(['kustomize.toolkit.fluxcd.io/kustomizations', 'helm.toolkit.fluxcd.io/helmreleases']);

  /**
   * Sends the list request `element` will make first, the very URL and headers the widget builds.
   * Settings the widget would refuse (another kind included) or `auth="pat"` send nothing: the
   * widget reports them.
   */
  const sendEarly = (element) => {
    const auth = element.getAttribute('auth');
    const csrf = document.querySelector('meta[name=csrf-token]')?.getAttribute('content');
    const kas = (element.getAttribute('kas-url') || '').replace(/\/+$/, '');
    const agent = element.getAttribute('agent-id') || '';
    const ref = /^\/*([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)\/([^/]+?)\/*$/.exec(element.getAttribute('flux-resource') || '');
    if ((auth && auth !== 'gitlab-session') || !csrf || !kas || !/^(0|[1-9][0-9]{0,18})$/.test(agent) || !ref) return;
    const [, group, version, namespace, plural, name] = ref;
    if (!SYNCED.has(`${group}/${plural}`)) return;
    const url = `${kas}/apis/${group}/${version}/namespaces/${encode(namespace)}/${plural}?fieldSelector=${encode(`metadata.name=${name}`)}&limit=500`;
    const key = `${agent} ${url}`;
    if (sent.has(key)) return;
    sent.add(key);
    const request = fetch(url, { credentials: 'include', headers: { Accept: 'application/json', 'GitLab-Agent-Id': agent, 'X-CSRF-Token': csrf } });
    request.catch(() => {}); // the widget reports a failure when it reads the response
    early.set(key, request);
  };

  const sendAll = () => document.querySelectorAll('lookout-flux-status').forEach(sendEarly);
  sendAll();
  // Loaded `async` in the head, the widgets may not be parsed yet.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', sendAll, { once: true });
}
// lookout:early-end

// Compiled as it downloads, while the JS glue and its snippet load (wasm-bindgen's own
// instantiateStreaming would start only once they are in); on a failure (e.g. a server that does
// not send application/wasm) the glue fetches and instantiates it itself.
const wasm = WebAssembly.compileStreaming(fetch(new URL('lookout-flux-status_bg.wasm', import.meta.url))).catch(() => undefined);
const bundle = await import('./lookout-flux-status.js');
await bundle.default({ module_or_path: await wasm });

/** `mount(element, options)`: the widget without custom elements (see the README). */
export const { mount } = bundle;
