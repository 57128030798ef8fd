// Live data without reloading: new opportunities appear in the table, the profit chart's last
// point grows after executions, and the execute button shows the result.
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

  // The chart: the total's last point grows as the executors trade.
  await page.getByTestId('nav-executions').click();
  const total = async () => Number(await page.getByTestId('pnl-legend-Total').locator('.legend-value').getAttribute('data-value'));
  await waitUntil(async () => (await total()) > 0, 'a first realized profit');
  const before = await total();
  const executionsBefore = (await server.get('/api/arbitrage/bots')).bots.reduce((n, b) => n + Number(b.total_profit), 0);
  await waitUntil(async () => (await server.get('/api/arbitrage/bots')).bots.reduce((n, b) => n + Number(b.total_profit), 0) > executionsBefore, 'more profit on the server');
  await waitUntil(async () => (await total()) > before, 'the chart total to grow past ' + before);
  await page.getByTestId('execution-row').first().waitFor();
  await screenshot(page, 'executions');

  // Execute by hand: with the executor bot stopped, the live monitor's opportunities wait for us.
  assert.equal((await server.call('POST', '/api/arbitrage/bots/real_executor/stop', { body: {} })).status, 200);
  await page.getByTestId('nav-opportunities').click();
  await page.getByTestId('strategy-filter').selectOption({ label: 'cross_venue' }).catch(() => page.getByTestId('strategy-filter').selectOption({ label: 'cyclic' }));
  let result = null;
  for (let attempt = 0; attempt < 10 && !result; attempt++) {
    const first = page.getByTestId('opportunity-row').first();
    await first.waitFor({ timeout: 20 * SECOND });
    const id = await first.getAttribute('data-id');
    // The table re-sorts as opportunities come and go: click the button of this very one.
    const clicked = await page
      .locator(`[data-testid="opportunity-row"][data-id="${id}"]`)
      .getByTestId('execute')
      .click({ timeout: 2 * SECOND })
      .then(() => true, () => false);
    if (!clicked) continue;
    const toast = await waitUntil(async () => {
      for (const kind of ['ok', 'error']) {
        const t = page.getByTestId('toast-' + kind).filter({ hasText: id });
        if ((await t.count()) > 0) return { kind, text: await t.first().textContent() };
      }
      return null;
    }, 'the result of executing ' + id);
    // An opportunity can change or expire between the click and the request: try another.
    if (toast.kind === 'ok') result = { id, text: toast.text };
    else assert.match(toast.text, /: (410|404|409) /, toast.text);
  }
  assert.ok(result, 'no execution succeeded in ten tries');
  assert.match(result.text, /Executed .*: (confirmed|simulated)/);
  await screenshot(page, 'opportunities');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-test-mark')), 'loaded-once', 'the page was reloaded');
  // The browser logs the refused tries (an opportunity gone by the time of the click); nothing else.
  assert.deepEqual(problems.filter((p) => !/status of (404|409|410)/.test(p)), [], 'console errors');
});
