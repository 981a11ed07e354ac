// The events page: newest first, live, and a warnings filter kept in the URL.
import { test, expect } from '@playwright/test';
import { dev, watchConsole } from './helpers.mjs';

test('events are newest first, live, and filterable to warnings', async ({ page, request }) => {
  const console = watchConsole(page);
  await page.goto('/?page=events&namespace=demo');
  await expect(page.locator('tr[data-reason="BackOff"]').first()).toBeVisible();
  await expect(page.locator('tr[data-reason="ScalingReplicaSet"]').first()).toBeVisible();

  const reason = `E2EProbe${Date.now()}`;
  await dev(request, 'create', {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `probe.${Date.now()}`, namespace: 'demo' },
    involvedObject: { kind: 'Pod', name: 'api-5c8d7b9f4-klmno', namespace: 'demo' },
    type: 'Warning', reason, message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    count: 3, lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  await expect(page.locator('tbody tr').first()).toHaveAttribute('data-reason', reason);
  await expect(page.locator('tbody tr').first()).toContainText('Pod/api-5c8d7b9f4-klmno');

  await page.getByLabel('Warnings only').check();
  await expect(page).toHaveURL(/warnings=1/);
  await expect(page.locator('tbody tr[data-type="Normal"]')).toHaveCount(0);
  await expect(page.locator(`tr[data-reason="${reason}"]`)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Warnings only')).toBeChecked();
  await expect(page.locator('tbody tr[data-type="Normal"]')).toHaveCount(0);
  console.check();
});
