// The peer baseline of scenario 5 (scripts/bench): what GitLab's own Kubernetes dashboard runs,
// @gitlab/cluster-client 3.x, showing the same Flux status as <lookout-flux-status> and the pod
// list of the demo namespace, through the same KAS with the GitLab session (cookie + CSRF token).
// The requests follow GitLab's environment page: a GET of the Flux object (first paint), then a
// watch of it by name; the pods listed (CoreV1Api), then watched; watches with WatchApi over HTTP.
// Bundled and minified by esbuild into the bench's dist (peer/gitlab-client.js); the bench loads
// it on the GitLab stand-in's page with window.benchGitLabClient = { kasUrl, agentId,
// fluxResource, namespace }.
import { Configuration, CoreV1Api, WatchApi } from '@gitlab/cluster-client';

const settings = window.benchGitLabClient;

/** The status word of a Flux object, from its Ready condition (as GitLab's badge reads it). */
function state(object) {
  const ready = (object?.status?.conditions || []).find((c) => c.type === 'Ready');
  if (!ready) return 'unknown';
  if (ready.status === 'True') return 'reconciled';
  return ready.status === 'False' ? 'failed' : 'reconciling';
}

function start() {
  const csrf = document.querySelector('meta[name=csrf-token]').getAttribute('content');
  const configuration = new Configuration({
    basePath: settings.kasUrl,
    headers: { 'GitLab-Agent-Id': String(settings.agentId), 'X-CSRF-Token': csrf },
    credentials: 'include',
  });
  const root = document.createElement('div');
  root.id = 'bench-gitlab-client';
  const badge = document.createElement('span');
  const pods = document.createElement('ul');
  root.append(badge, pods);
  document.body.append(root);

  const showFlux = (object) => {
    badge.textContent = object ? `${object.metadata.name}: ${state(object)}` : 'not found';
    root.setAttribute('data-state', object ? state(object) : 'missing');
  };
  const showPods = (items) => {
    pods.replaceChildren(
      ...items.map((p) => {
        const li = document.createElement('li');
        li.textContent = `${p.metadata.name} ${p.status?.phase ?? ''}`;
        return li;
      }),
    );
  };

  const [group, version, , namespace, plural, name] = settings.fluxResource.split('/');
  const collection = `/apis/${group}/${version}/namespaces/${namespace}/${plural}`;
  new WatchApi(configuration)
    .request({ path: `${collection}/${name}`, method: 'GET', headers: {} })
    .then((response) => response.json())
    .then((object) => {
      showFlux(object);
      const watch = new WatchApi(configuration);
      watch.on('data', (items) => showFlux(items[0]));
      watch.subscribeToStream(collection, { watch: true, fieldSelector: `metadata.name=${name}` });
    })
    .catch((e) => root.setAttribute('data-error', String(e)));

  new CoreV1Api(configuration)
    .listCoreV1NamespacedPod({ namespace: settings.namespace })
    .then((list) => {
      showPods(list.items);
      const watch = new WatchApi(configuration);
      watch.on('data', showPods);
      watch.subscribeToStream(`/api/v1/namespaces/${settings.namespace}/pods`, { watch: true });
    })
    .catch((e) => root.setAttribute('data-error', String(e)));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
