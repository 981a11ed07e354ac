// Shared test helpers: the dev control endpoints and a console-error guard.
import { expect } from '@playwright/test';

/** Calls a lookout-dev control endpoint (`/_dev/<action>`) and returns its JSON answer. */
export async function dev(request, action, body = {}) {
  const res = await request.post(`/_dev/${action}`, { data: body });
  expect(res.ok(), `/_dev/${action} answered ${res.status()}: ${await res.text()}`).toBeTruthy();
  return res.json();
}

/** A pod object as the simulated cluster takes it. */
export function pod(namespace, name, phase, containers = [{ name: 'main', ready: phase === 'Running', restartCount: 0 }]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c.name, image: 'example/app:1' })) },
    status: {
      phase,
      containerStatuses: containers.map((c) => ({ name: c.name, ready: c.ready, restartCount: c.restartCount, state: { running: {} } })),
    },
  };
}

/** Collects page errors and console errors; call `check()` at the end of a test. */
export function watchConsole(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { check: () => expect(errors).toEqual([]), errors };
}

/** The row of a pod in the pods table. */
export function row(page, name) {
  return page.locator(`tr[data-name="${name}"]`);
}
