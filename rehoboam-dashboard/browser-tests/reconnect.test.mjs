// The WebSocket dropped by a server restart on the same data directory and port: the page shows
// the disconnected banner, reconnects by itself (resume_from; the new server answers with a gap and
// the page re-reads its state over REST) and goes on showing live data.
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

const connection = (page) => page.getByTestId('connection-pill').getAttribute('data-state');

test('a server restart drops the WebSocket: the page shows the banner and comes back', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/executions');
  await waitUntil(async () => (await connection(page)) === 'open', 'the live connection');
  await page.getByTestId('execution-row').first().waitFor({ timeout: 30 * SECOND });

  await server.stop();
  const banner = page.getByTestId('connection-banner');
  await banner.waitFor({ timeout: 10 * SECOND });
  assert.match(await banner.textContent(), /Disconnected from the server/);
  await page.mouse.move(0, 0);
  await screenshot(page, 'reconnect-banner');

  const again = new Server({ dataDir: server.dataDir, port: server.port });
  await again.start();
  server = again;
  await waitUntil(async () => (await connection(page)) === 'open', 'the page to reconnect', 30 * SECOND);
  await banner.waitFor({ state: 'detached', timeout: 10 * SECOND });
  // Live again: new bot states and opportunities from the new server reach the page.
  assert.equal((await server.call('POST', '/api/arbitrage/bots/live_monitor/stop', { body: {} })).status, 200);
  await waitUntil(async () => (await page.getByTestId('nav-bots').click(), await page.getByTestId('bot-row-live_monitor').getAttribute('data-state')) === 'stopped', 'the new server\'s events on the page', 10 * SECOND);
  await screenshot(page, 'reconnected');
  // While the server was down the browser logged failed connection attempts; nothing else.
  assert.deepEqual(problems.filter((p) => !/WebSocket connection|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), [], 'console errors');
});
