// Live data without reloading: new opportunities appear in the table, the profit chart's last
// point grows after executions, and the execute button shows the result.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeFromTable, openBrowser, screenshot, Server, waitUntil, SECOND } from './harness.mjs';

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

const rowIds = (page) => page.getByTestId('opportunity-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

test('new opportunities appear without reload, the PnL chart grows after executions, execute shows its result', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/opportunities');
  // A mark on this document: still there at the end means the page was never reloaded.
  await page.evaluate(() => document.documentElement.setAttribute('data-test-mark', 'loaded-once'));
  await page.getByTestId('opportunity-row').first().waitFor({ timeout: 30 * SECOND });
  await page.getByTestId('sort').selectOption('newest');
  const first = new Set(await rowIds(page));
  assert.ok(first.size > 0);
  await waitUntil(async () => (await rowIds(page)).some((id) => !first.has(id)), 'an opportunity that was not in the table before', 20 * SECOND);

  // The chart: the total's last point grows as the executors trade, to what the server says.
  await page.getByTestId('nav-executions').click();
  const total = async () => Number(await page.getByTestId('pnl-legend-Total').locator('.legend-value').getAttribute('data-value'));
  const serverTotal = async () => (await server.get('/api/arbitrage/bots')).bots.reduce((n, b) => n + Number(b.total_profit), 0);
  await waitUntil(async () => (await total()) > 0, 'a first realized profit');
  const before = await total();
  // (the bots pause now and then: give them time to trade past what the page showed)
  const grown = await waitUntil(async () => {
    const t = await serverTotal();
    return t > before + 0.01 ? t : null;
  }, 'the server\'s profit to grow past ' + before, 120 * SECOND);
  await waitUntil(async () => (await total()) >= grown - 0.01, 'the chart total to reach the server\'s ' + grown, 15 * SECOND);
  await page.getByTestId('execution-row').first().waitFor();
  await screenshot(page, 'executions');

  // Execute by hand: with the executor bot stopped, the live monitor's opportunities wait for us.
  assert.equal((await server.call('POST', '/api/arbitrage/bots/real_executor/stop', { body: {} })).status, 200);
  await page.getByTestId('nav-opportunities').click();
  await page.getByTestId('strategy-filter').selectOption({ label: 'cross_venue' }).catch(() => page.getByTestId('strategy-filter').selectOption({ label: 'cyclic' }));
  const result = await executeFromTable(page, /Executed .*: (confirmed|simulated)/);
  assert.match(result, /realized \$/);
  await screenshot(page, 'opportunities');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-test-mark')), 'loaded-once', 'the page was reloaded');
  // The browser logs the refused tries (an opportunity gone by the time of the click); nothing else.
  assert.deepEqual(problems.filter((p) => !/status of (404|409|410)/.test(p)), [], 'console errors');
});
