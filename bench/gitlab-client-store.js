// The peer of scenarios 1 and 4 (scripts/bench): how GitLab's own client keeps what it watches —
// @gitlab/cluster-client's WatchApi: the stream decoded chunk by chunk, split into lines
// (`findLine`), each line parsed and applied (`processData`: objects kept in an array, found by
// uid), as its `processJson` does. No listener is registered (GitLab's maps the whole array for
// its cache on every event), so these are a lower bound for GitLab's page. The client drops a
// MODIFIED of an object it does not hold and the fixtures' events are each a pod's first: they
// are fed as ADDED, rewritten once per fixture before any timing. Bundled by esbuild into the
// bench's dist (peer/gitlab-client-store.js); exposes window.gitlabClientBench { ingest, hold }.
import { Configuration, WatchApi } from '@gitlab/cluster-client';

const CHUNK = 64 << 10; // what one read of a network stream brings
const asAdded = new WeakMap(); // fixture bytes → the same events as ADDED

function added(bytes) {
  if (!asAdded.has(bytes)) {
    const text = new TextDecoder().decode(bytes).replaceAll('{"type":"MODIFIED",', '{"type":"ADDED",');
    asAdded.set(bytes, new TextEncoder().encode(text));
  }
  return asAdded.get(bytes);
}

/** Feeds `bytes` to a new WatchApi as its stream would; returns it. */
function watched(bytes) {
  const api = new WatchApi(new Configuration({ basePath: location.origin }));
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  for (let at = 0; at < bytes.length; at += CHUNK) {
    buffer += decoder.decode(bytes.subarray(at, at + CHUNK));
    buffer = api.findLine(buffer, (line) => api.processData(line));
  }
  return api;
}

const bench = {
  /** Untimed: the ADDED copy of a fixture (the harness's warm-up call makes it). */
  prepare: (bytes) => added(bytes).length,
  ingest: (bytes) => watched(added(bytes)).data.length,
  held: null,
  hold: (bytes) => {
    bench.held = null;
    bench.held = watched(added(bytes));
    return bench.held.data.length;
  },
};
window.gitlabClientBench = bench;
