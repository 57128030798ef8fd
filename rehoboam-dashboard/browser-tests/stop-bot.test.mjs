// Steering a bot from the page: stop turns its row to stopped within seconds and the REST API
// agrees; start brings it back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, Server, waitUntil, SECOND } from './harness.mjs';

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

const state = (page, bot) => page.getByTestId('bot-row-' + bot).getAttribute('data-state');

test('stopping a bot from the page turns its row to stopped and the REST API agrees', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/bots');
  await waitUntil(async () => (await state(page, 'live_monitor')) === 'running', 'live_monitor running');

  await page.getByTestId('stop-live_monitor').click();
  await waitUntil(async () => (await state(page, 'live_monitor')) === 'stopped', 'the row to show stopped', 5 * SECOND);
  const rest = await server.get('/api/arbitrage/bots/live_monitor');
  assert.equal(rest.status, 'stopped');
  assert.equal(rest.desired_state, 'stopped');
  assert.equal(await page.getByTestId('bot-state-live_monitor').textContent(), 'stopped');
  await page.getByTestId('toast-ok').first().waitFor();
  await page.mouse.move(0, 0);
  await screenshot(page, 'bot-stopped');

  // Start and Stop follow the state: a stopped bot can be started, not stopped again.
  assert.equal(await page.getByTestId('stop-live_monitor').isDisabled(), true);
  await page.getByTestId('start-live_monitor').click();
  await waitUntil(async () => (await state(page, 'live_monitor')) === 'running', 'the row to show running again', 10 * SECOND);
  assert.equal((await server.get('/api/arbitrage/bots/live_monitor')).status, 'running');

  // A state change made elsewhere (here over REST) reaches the page through the WebSocket.
  const stopped = await server.call('POST', '/api/arbitrage/bots/real_executor/stop', { body: {} });
  assert.equal(stopped.status, 200);
  await waitUntil(async () => (await state(page, 'real_executor')) === 'stopped', 'the REST stop to show on the page', 5 * SECOND);

  // The bot's own page: settings, log tail, executions, profit.
  await page.locator('a[href="#/bots/live_monitor"]').click();
  await page.getByTestId('bot-log').waitFor();
  await waitUntil(async () => ((await page.getByTestId('bot-log').textContent()) ?? '').length > 20, 'log lines');
  await screenshot(page, 'bot-page');
  assert.deepEqual(problems, [], 'console errors');
});
