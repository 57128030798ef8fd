// A server with API keys: the page asks for a key, keeps it in session storage, sends it as the
// Bearer header and to the WebSocket; with a read key the control buttons are disabled with the
// reason, and a forced request is refused by the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { configWith, openBrowser, screenshot, Server, waitUntil, SECOND } from './harness.mjs';

const OPS_KEY = 'ops-key-0123456789abcdef0123456789';
const VIEWER_KEY = 'viewer-key-0123456789abcdef012345';
let server;
let browser;

before(async () => {
  const config = configWith([
    [
      '  allow_unauthenticated_execute: true',
      '  keys:\n' +
        '    - {id: ops, key_env: TEST_OPS_KEY, scopes: [read, control, execute]}\n' +
        '    - {id: viewer, key_env: TEST_VIEWER_KEY, scopes: [read]}\n' +
        '  allow_unauthenticated_execute: false',
    ],
  ]);
  server = await new Server({ config, env: { TEST_OPS_KEY: OPS_KEY, TEST_VIEWER_KEY: VIEWER_KEY } }).start();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('with a read key the control buttons are disabled and a forced request is refused', async () => {
  const { page, problems } = browser;
  assert.equal((await server.call('GET', '/api/arbitrage/bots')).status, 401);
  await page.goto(server.base + '/#/bots');
  await page.getByTestId('key-form').waitFor();
  await page.getByTestId('key-input').fill('not-a-valid-key-at-all');
  await page.getByTestId('key-submit').click();
  await page.getByTestId('key-error').waitFor();

  await page.getByTestId('key-input').fill(VIEWER_KEY);
  await page.getByTestId('key-submit').click();
  await page.getByTestId('bot-row-live_monitor').waitFor();
  // The key reaches the WebSocket too: the stream is live.
  await waitUntil(async () => (await page.getByTestId('connection-pill').getAttribute('data-state')) === 'open', 'the live connection with the key', 20 * SECOND);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('rehoboam.api_key')), VIEWER_KEY);
  await page.getByTestId('readonly-banner').waitFor();

  const stop = page.getByTestId('stop-live_monitor');
  assert.equal(await stop.isDisabled(), true);
  assert.match(await stop.getAttribute('title'), /needs scope control; the API key 'viewer' has read/);
  assert.equal(await page.getByTestId('restart-live_monitor').isDisabled(), true);
  await page.getByTestId('nav-opportunities').click();
  const execute = page.getByTestId('execute').first();
  await execute.waitFor({ timeout: 30 * SECOND });
  assert.equal(await execute.isDisabled(), true);
  await screenshot(page, 'read-only');

  // Forced: the button switched on by hand sends the request, and the server refuses it.
  await page.getByTestId('nav-bots').click();
  await stop.evaluate((button) => button.removeAttribute('disabled'));
  await stop.click();
  const refused = page.getByTestId('toast-error').first();
  await refused.waitFor();
  assert.match(await refused.textContent(), /403 FORBIDDEN: API key 'viewer' lacks scope control/);
  const bot = await server.get('/api/arbitrage/bots/live_monitor', { key: OPS_KEY });
  assert.equal(bot.status, 'running');
  assert.equal(bot.desired_state, 'running');
  await screenshot(page, 'read-only-refused');
  // Only the refusals themselves show as a console error (the browser logs the failed request).
  assert.deepEqual(problems.filter((p) => !/status of 40[13]/.test(p)), [], 'console errors');
});
