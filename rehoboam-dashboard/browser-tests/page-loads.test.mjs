// The dashboard on the embedded default (no keys, loopback): it loads with no console error, under
// its Content-Security-Policy, talks only to its own origin, and shows the three default bots with
// their states.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, Server, waitUntil } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await new Server().start();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the page loads with no console errors and shows the three default bots with their states', async () => {
  const { page, problems, requests } = browser;
  const response = await page.goto(server.base + '/');
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);

  for (const bot of ['live_monitor', 'real_executor', 'layer2_arbitrage']) {
    await page.getByTestId('bot-row-' + bot).waitFor();
    await waitUntil(async () => (await page.getByTestId('bot-state-' + bot).first().textContent()) === 'running', bot + ' shown as running');
  }
  const rows = await page.locator('[data-testid^="bot-row-"]').count();
  assert.equal(rows, 3);
  await waitUntil(async () => (await page.getByTestId('connection-pill').getAttribute('data-state')) === 'open', 'the live connection');
  // live data flows in: opportunities and the profit chart
  await page.getByTestId('opportunity-row').first().waitFor({ timeout: 30000 });
  await waitUntil(async () => Number(await page.getByTestId('pnl-chart').getAttribute('data-last')) > 0, 'a realized profit on the chart');

  for (const tab of ['bots', 'opportunities', 'executions', 'risk', 'system', 'overview']) {
    await page.getByTestId('nav-' + tab).click();
    await page.locator(`main[data-page="${tab}"]`).waitFor();
  }
  await page.mouse.move(0, 0);
  await screenshot(page, 'overview');

  const origin = new URL(server.base).host;
  const foreign = requests.filter((u) => new URL(u).host !== origin);
  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.deepEqual(problems, [], 'console errors');
});
