// The official JS client's informer (@kubernetes/client-node makeInformer) on every pod, through
// dropped connections, 410s in the stream and on resume, and a compaction: its cache must end
// equal to the server's list (names and resourceVersions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';
import { apiBase, api, dev, waitFor } from './lookout.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const prefix = `compat-informer-${process.pid}`;
const keys = (pods) =>
  pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}@${p.metadata.resourceVersion}`).sort();

function pod(name) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'registry.example.com/compat:1' }] },
  };
}

/** Waits until the informer's cache equals the server's list of pods; returns that list's keys. */
async function inSync(informer) {
  let server = [];
  await waitFor(
    "the informer's cache to equal the server's list",
    async () => {
      server = keys((await api('GET', '/api/v1/pods')).items);
      return JSON.stringify(keys(informer.list())) === JSON.stringify(server);
    },
    () => {
      const cached = new Set(keys(informer.list()));
      const listed = new Set(server);
      return `missing ${server.filter((k) => !cached.has(k))}, stale ${[...cached].filter((k) => !listed.has(k))}`;
    },
  );
  return server;
}

test('an informer on pods ends equal to the server through drops and 410s', async (t) => {
  const kc = new KubeConfig();
  // The client refuses a plain-http server unless TLS verification is off (nothing to verify).
  kc.loadFromClusterAndUser({ name: 'lookout-dev', server: apiBase, skipTLSVerify: true }, { name: 'anonymous' });
  const core = kc.makeApiClient(CoreV1Api);
  let lists = 0;
  const informer = makeInformer(kc, '/api/v1/pods', () => {
    lists += 1;
    return core.listPodForAllNamespaces();
  });
  // The client stops on an error and leaves restarting to its user (its README's pattern).
  let running = true;
  const errors = [];
  informer.on('error', (err) => {
    errors.push(err);
    setTimeout(() => running && informer.start(), 200);
  });
  // Stops for good: a stop during a relist lets the client open one more watch when the list
  // returns (it does not check again), so stop once more after that.
  const halt = async () => {
    running = false;
    await informer.stop();
    await sleep(300);
    await informer.stop();
  };
  t.after(async () => {
    await halt();
    await dev('faults', { kinds: [] });
    await dev('clock', { paused: false });
  });
  await informer.start();
  await dev('faults-report'); // forgets faults injected before this test

  // Pods change (the story runs 20 s a round, and a pod is created and one deleted) while the
  // watch is cut mid-line, then while it ends with 410s (in the stream, and on the resume).
  let round = 0;
  for (const kind of ['drop', 'expired']) {
    await dev('faults', { kinds: [kind], rate: 0.5, seed: 11, resource: 'pods', count: 3 });
    for (const end = round + 4; round < end; round += 1) {
      await dev('clock', { advance: 20 });
      await api('POST', '/api/v1/namespaces/default/pods', pod(`${prefix}-${round}`));
      if (round > 0) {
        await api('DELETE', `/api/v1/namespaces/default/pods/${prefix}-${round - 1}?gracePeriodSeconds=0`);
      }
      await sleep(150);
    }
  }
  await dev('faults', { kinds: [] });
  const injected = (await dev('faults-report')).injected;
  await dev('clock', { paused: true });
  await inSync(informer);

  // A resume from a compacted resourceVersion: while the informer is away (a laptop asleep), a
  // pod changes and the server forgets its history.
  await halt();
  const listsBefore = lists;
  await api('POST', '/api/v1/namespaces/default/pods', pod(`${prefix}-late`));
  await dev('compact');
  running = true;
  await informer.start();
  const server = await inSync(informer);
  t.diagnostic(`${injected.length} faults injected, ${errors.length} errors, ${lists} lists`);
  assert.ok(server.some((k) => k.startsWith(`default/${prefix}-late@`)));
  for (const kind of ['Drop', 'Expired']) {
    assert.ok(injected.some((f) => f.startsWith(kind)), `no ${kind} fault was injected: ${injected}`);
  }
  assert.ok(errors.length > 0, 'no connection broke');
  assert.ok(lists > listsBefore, 'the 410 after compaction did not make the informer relist');
});
