// Fixture bytes for scripts/bench, generated in the page so both implementations get the very same
// Uint8Array. Template pods come from lookout-dev (`--scale N`); each is dressed up to the shape
// and size of a real Deployment-owned pod (labels, annotations, owner reference, two managedFields
// entries, a projected service-account volume, env, resources, probes, five conditions: about
// 5 KB of JSON) and renamed, then written as watch events, one JSON line each.
(function () {
  'use strict';

  const T = '2026-11-25T08:00:00Z';

  async function fetchTemplates(limit = 2000) {
    const res = await fetch('/k8s-proxy/api/v1/pods?limit=' + limit);
    if (!res.ok) throw new Error('template pods: HTTP ' + res.status);
    const list = await res.json();
    if (!list.items || list.items.length === 0) throw new Error('template pods: empty list');
    return list.items;
  }

  function hex(n, width) {
    return (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  }

  function uid(i, salt) {
    const a = Math.imul(i + 1, 2654435761) ^ salt;
    const b = Math.imul(i + 7, 40503) ^ (salt >>> 3);
    return `${hex(a, 8)}-${hex(b, 4)}-4${hex(a >>> 4, 3)}-a${hex(b >>> 2, 3)}-${hex(a ^ b, 8)}${hex(i, 4)}`;
  }

  /** A realistic pod built from template `t`, renamed to index `i`, at resourceVersion `rv`. */
  function dress(t, i, rv) {
    const app = (t.metadata.labels && t.metadata.labels.app) || 'app';
    const hash = hex(Math.imul(app.length + 17, 99991), 9).replace(/^./, '7');
    const rs = `${app}-${hash}`;
    const name = `${rs}-${i.toString(36).padStart(5, '0')}`;
    const ns = t.metadata.namespace || 'default';
    const node = (t.spec && t.spec.nodeName) || 'node-1';
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const containers = (t.spec.containers || [{ name: 'main', image: 'example/app:1' }]).map((c) => ({
      name: c.name,
      image: c.image,
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
      env: [
        { name: 'APP_NAME', value: app },
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${app}-db`, key: 'url' } } },
      ],
      resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/app', readOnly: true },
        { name: 'kube-api-access-' + hex(i, 5), mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      ],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 10, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      readinessProbe: { httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    }));
    const statuses = ((t.status && t.status.containerStatuses) || []).map((c, k) => ({
      name: c.name,
      state: c.state || { running: { startedAt: T } },
      lastState: {},
      ready: !!c.ready,
      restartCount: c.restartCount || 0,
      image: containers[k] ? containers[k].image : 'example/app:1',
      imageID: 'registry.example.com/' + app + '@sha256:' + hex(i * 31 + k, 8).repeat(8),
      containerID: 'containerd://' + hex(i * 17 + k, 8).repeat(8),
      started: !!c.ready,
    }));
    const ready = statuses.every((c) => c.ready) ? 'True' : 'False';
    const f = (keys) => Object.fromEntries(keys.map((k) => [k, {}]));
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: rs + '-',
        namespace: ns,
        uid: uid(i, 0x5eed),
        resourceVersion: String(rv),
        creationTimestamp: T,
        labels: { app, 'pod-template-hash': hash, 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/version': '1.4.2' },
        annotations: {
          'kubectl.kubernetes.io/restartedAt': '2026-11-20T10:12:44Z',
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9090',
          'checksum/config': hex(i * 13, 8).repeat(8),
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(app.length, 0xabc), controller: true, blockOwnerDeletion: true }],
        managedFields: [
          {
            manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: T, fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:metadata': { 'f:annotations': f(['.', 'f:checksum/config', 'f:kubectl.kubernetes.io/restartedAt', 'f:prometheus.io/port', 'f:prometheus.io/scrape']),
                'f:generateName': {}, 'f:labels': f(['.', 'f:app', 'f:app.kubernetes.io/name', 'f:app.kubernetes.io/part-of', 'f:app.kubernetes.io/version', 'f:pod-template-hash']),
                'f:ownerReferences': { '.': {}, [`k:{"uid":"${uid(app.length, 0xabc)}"}`]: {} } },
              'f:spec': { 'f:containers': Object.fromEntries(containers.map((c) => [`k:{"name":"${c.name}"}`, f(['.', 'f:env', 'f:image', 'f:imagePullPolicy', 'f:livenessProbe', 'f:name', 'f:ports', 'f:readinessProbe', 'f:resources', 'f:securityContext', 'f:terminationMessagePath', 'f:terminationMessagePolicy', 'f:volumeMounts'])])),
                'f:dnsPolicy': {}, 'f:enableServiceLinks': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {}, 'f:volumes': { '.': {}, 'k:{"name":"config"}': {} } },
            },
          },
          {
            manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: T, fieldsType: 'FieldsV1', subresource: 'status',
            fieldsV1: {
              'f:status': { 'f:conditions': f(['k:{"type":"ContainersReady"}', 'k:{"type":"Initialized"}', 'k:{"type":"PodReadyToStartContainers"}', 'k:{"type":"PodScheduled"}', 'k:{"type":"Ready"}']),
                'f:containerStatuses': {}, 'f:hostIP': {}, 'f:hostIPs': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': f(['.', `k:{"ip":"${ip}"}`]), 'f:startTime': {} },
            },
          },
        ],
      },
      spec: {
        volumes: [
          { name: 'config', configMap: { name: app + '-config', defaultMode: 420 } },
          { name: 'kube-api-access-' + hex(i, 5), projected: { sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ], defaultMode: 420 } },
        ],
        containers,
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: app,
        serviceAccount: app,
        nodeName: node,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
        schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      },
      status: {
        phase: (t.status && t.status.phase) || 'Running',
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: T },
          { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: T },
          { type: 'Ready', status: ready, lastProbeTime: null, lastTransitionTime: T },
          { type: 'ContainersReady', status: ready, lastProbeTime: null, lastTransitionTime: T },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: T },
        ],
        hostIP: '192.168.1.' + (node.length + (i % 200)),
        hostIPs: [{ ip: '192.168.1.' + (node.length + (i % 200)) }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: T,
        containerStatuses: statuses,
        qosClass: 'Burstable',
      },
    };
  }

  function concat(chunks, total) {
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }

  /**
   * Watch events as JSON lines. Event j is a MODIFIED of pod (j % pods), built from template
   * (j % templates.length); stops at `events` events or once `bytes` bytes are written.
   * Returns { data: Uint8Array, events, pods }.
   */
  function stream(templates, { pods, events = Infinity, bytes = Infinity }) {
    const enc = new TextEncoder();
    const chunks = [];
    let total = 0;
    let j = 0;
    let batch = [];
    const flush = () => {
      const c = enc.encode(batch.join(''));
      chunks.push(c);
      total += c.length;
      batch = [];
    };
    let pending = 0;
    while (j < events && total + pending < bytes) {
      const i = j % pods;
      const line = JSON.stringify({ type: 'MODIFIED', object: dress(templates[i % templates.length], i, 1000 + j) }) + '\n';
      batch.push(line);
      pending += line.length;
      j++;
      if (batch.length === 1000) {
        flush();
        pending = 0;
      }
    }
    if (batch.length) flush();
    return { data: concat(chunks, total), events: j, pods: Math.min(pods, j) };
  }

  window.benchFixtures = { fetchTemplates, dress, stream };
})();
