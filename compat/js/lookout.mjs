// Shared by the node tests: where lookout-dev is, its `/_dev/` controls, and a polling wait.
// LOOKOUT_URL names a lookout-dev started with --open (scripts/test starts one).

const url = process.env.LOOKOUT_URL;
if (!url) throw new Error('LOOKOUT_URL is not set: start lookout-dev --open and export its URL');

/** The server's origin, e.g. `http://127.0.0.1:8080`. */
export const baseUrl = url.replace(/\/$/, '');
/** The emulated KAS Kubernetes API proxy. */
export const apiBase = `${baseUrl}/k8s-proxy`;

async function json(response, what) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** POSTs `body` to `/_dev/<action>` (devserver/src/control.rs) and returns its JSON answer. */
export async function dev(action, body = {}) {
  const response = await fetch(`${baseUrl}/_dev/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return json(response, `/_dev/${action}`);
}

/** A Kubernetes API call through the proxy; `body` is sent as JSON (`contentType` for patches). */
export async function api(method, path, body, contentType = 'application/json') {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType;
    init.body = JSON.stringify(body);
  }
  return json(await fetch(`${apiBase}${path}`, init), `${method} ${path}`);
}

/** Resolves once `check()` returns true; fails after `timeoutMs` with `describe()` of the last state. */
export async function waitFor(what, check, describe = () => '', timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
