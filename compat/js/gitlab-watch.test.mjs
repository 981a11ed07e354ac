// GitLab's own client (@gitlab/cluster-client 3.x, what GitLab's dashboard runs) drives
// lookout-dev's WebSocket watch aggregator (`/k8s-proxy/watch`) and receives events.
import { register } from 'node:module';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { api, apiBase, dev, waitFor } from './lookout.mjs';

register('./gitlab-esm-hooks.mjs', import.meta.url);
const { Configuration, WebSocketWatchManager } = await import('@gitlab/cluster-client');

// The client hard-codes TLS: it turns `https://` of the base path into `wss://` and refuses any
// other scheme. GitLab always serves KAS over TLS; lookout-dev serves plain HTTP, so the base path
// says https and the transports (fetch, and the WebSocket global node 20 lacks) use http.
const secureBase = apiBase.replace(/^http:/, 'https:');
globalThis.WebSocket = class extends WebSocket {
  constructor(url, protocols) {
    super(url.replace(/^wss:/, 'ws:'), protocols);
  }
};

function manager() {
  return new WebSocketWatchManager(
    new Configuration({
      basePath: secureBase,
      headers: { 'GitLab-Agent-Id': '1', 'X-CSRF-Token': 'unused-with---open' },
      fetchApi: (url, init) => fetch(url.replace(/^https:/, 'http:'), init),
    }),
  );
}

/** Starts watch `watchId` and records every array the client emits for it. */
async function watch(client, watchId, watchParams) {
  const seen = { data: [], errors: [] };
  client.on('data', watchId, (items) => seen.data.push(structuredClone(items)));
  client.on('error', watchId, (error) => seen.errors.push(error));
  await client.initConnection({ message: { watchId, watchParams } });
  return seen;
}

const last = (seen) => seen.data.at(-1) ?? [];
const names = (items) => items.map((o) => o.metadata.name).sort();

test("GitLab's WebSocket watch manager receives list and change events", async (t) => {
  await dev('clock', { paused: true });
  const client = manager();
  t.after(async () => {
    (await client.connectToWebsocket()).close();
    await dev('clock', { paused: false });
  });

  const pods = await watch(client, 'k8sPods-n-demo', { version: 'v1', resource: 'pods', namespace: 'demo' });
  const expected = names((await api('GET', '/api/v1/namespaces/demo/pods')).items);
  await waitFor(
    'the pods of namespace demo',
    () => JSON.stringify(names(last(pods))) === JSON.stringify(expected),
    () => `got ${JSON.stringify(names(last(pods)))}, errors ${JSON.stringify(pods.errors)}`,
  );

  // A second watch on the same socket, selected by name as GitLab watches one Flux object.
  const name = `compat-gitlab-${process.pid}`;
  const maps = await watch(client, `configmap-${name}`, {
    version: 'v1',
    resource: 'configmaps',
    namespace: 'default',
    fieldSelector: `metadata.name=${name}`,
  });
  const step = () => last(maps)[0]?.data?.step;
  await api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { step: '1' } });
  await waitFor('ADDED', () => step() === '1', () => JSON.stringify(maps));
  await api('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, { data: { step: '2' } }, 'application/merge-patch+json');
  await waitFor('MODIFIED', () => step() === '2', () => JSON.stringify(maps));
  await api('DELETE', `/api/v1/namespaces/default/configmaps/${name}`);
  await waitFor('DELETED', () => maps.data.length > 2 && last(maps).length === 0, () => JSON.stringify(maps));
  assert.ok(
    maps.data.every((items) => items.every((o) => o.metadata.name === name)),
    'the field selector was not applied',
  );
  assert.deepEqual(maps.errors, []);
  assert.deepEqual(pods.errors, []);
});

test("GitLab's WebSocket watch manager reports a refused watch", async (t) => {
  const client = manager();
  t.after(async () => (await client.connectToWebsocket()).close());
  const refused = await watch(client, 'nothing', { version: 'v1', resource: 'nothings', namespace: 'default' });
  await waitFor('an error event', () => refused.errors.length > 0, () => JSON.stringify(refused));
  assert.match(refused.errors[0].message, /nothings/);
});
