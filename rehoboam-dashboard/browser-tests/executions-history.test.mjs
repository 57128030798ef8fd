// The execution history on the Executions page: filters (bot, strategy, status, time range) that
// the server applies (GET /api/arbitrage/executions), read a page at a time with the route's
// cursor; every view is compared with the same query to the API.
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

const rowsOnPage = (page) =>
  page.getByTestId('history-row').evaluateAll((rows) =>
    rows.map((r) => ({ id: r.getAttribute('data-id'), bot: r.getAttribute('data-bot'), strategy: r.getAttribute('data-strategy'), status: r.getAttribute('data-status') })),
  );
const idsOnPage = async (page) => (await rowsOnPage(page)).map((r) => r.id);

/** Waits until the history has loaded and shows exactly `ids` (the API's answer to the same query), in order. */
async function shows(page, ids, what) {
  const expected = JSON.stringify(ids);
  await waitUntil(
    async () => (await page.getByTestId('history-state').getAttribute('data-loading')) === 'false' && JSON.stringify(await idsOnPage(page)) === expected,
    what + ` (${ids.length} rows, as the API answers)`,
    15 * SECOND,
  );
}

const api = async (query) => (await server.get('/api/arbitrage/executions?' + query)).executions.map((x) => x.id);

test('the execution history is filtered by bot, strategy, status and time by the server and paged by its cursor', async () => {
  const { page, problems } = browser;
  // open while the bots trade (the live feed fills from the stream); a history to page through,
  // then no more trading, so that the journal stays put
  await page.goto(server.base + '/#/executions');
  await waitUntil(async () => (await server.get('/api/arbitrage/executions?limit=1000')).count >= 40, '40 executions in the journal', 150 * SECOND, 1000);
  for (const bot of ['real_executor', 'layer2_arbitrage']) {
    assert.equal((await server.call('POST', `/api/arbitrage/bots/${bot}/stop`, { body: {} })).status, 200);
  }
  await waitUntil(async () => (await server.get('/api/arbitrage/executions?limit=1000')).executions.every((x) => x.status !== 'submitted'), 'no execution in flight');
  const all = (await server.get('/api/arbitrage/executions?limit=1000')).executions;

  await page.getByTestId('history-refresh').click();
  await shows(page, all.slice(0, 50).map((x) => x.id), 'the newest 50, newest first');

  // the live feed's trades read like the history's: the route by symbol, the size, the strategy
  const cells = (testid) =>
    page.getByTestId(testid).evaluateAll((rows) =>
      Object.fromEntries(rows.map((r) => [r.getAttribute('data-id'), ['execution-pair', 'execution-size'].map((c) => r.querySelector(`[data-testid="${c}"]`).textContent).concat(r.getAttribute('data-strategy'))])),
    );
  const live = await waitUntil(async () => {
    const rows = await cells('execution-row');
    const history = await cells('history-row');
    const both = Object.keys(rows).filter((id) => history[id]);
    return both.length >= 10 && both.every((id) => JSON.stringify(rows[id]) === JSON.stringify(history[id])) ? both : null;
  }, 'the live feed to show the pair, size and strategy of the history', 15 * SECOND);
  assert.ok(live.length >= 10);

  // pages of 10 by the cursor
  await page.getByTestId('history-limit').selectOption('10');
  const first = await server.get('/api/arbitrage/executions?limit=10');
  const second = await server.get('/api/arbitrage/executions?limit=10&cursor=' + encodeURIComponent(first.next_cursor));
  const third = await server.get('/api/arbitrage/executions?limit=10&cursor=' + encodeURIComponent(second.next_cursor));
  await shows(page, first.executions.map((x) => x.id), 'a page of 10');
  await page.getByTestId('history-more').click();
  await shows(page, [...first.executions, ...second.executions].map((x) => x.id), 'two pages');
  await page.getByTestId('history-more').click();
  await shows(page, [...first.executions, ...second.executions, ...third.executions].map((x) => x.id), 'three pages by the cursor');
  assert.deepEqual(await idsOnPage(page), all.slice(0, 30).map((x) => x.id));

  // by bot
  const bot = all[0].bot_id;
  await page.getByTestId('history-bot').selectOption(bot);
  const byBot = await api(`bot_id=${bot}&limit=10`);
  await shows(page, byBot, 'the bot filter');
  assert.ok((await rowsOnPage(page)).every((r) => r.bot === bot));

  // by strategy (any bot)
  await page.getByTestId('history-bot').selectOption('');
  const strategy = all.find((x) => x.strategy !== all[0].strategy)?.strategy ?? all[0].strategy;
  await page.getByTestId('history-strategy').selectOption(strategy);
  const byStrategy = await api(`strategy=${strategy}&limit=10`);
  await shows(page, byStrategy, 'the strategy filter');
  assert.ok((await rowsOnPage(page)).every((r) => r.strategy === strategy));

  // by status
  await page.getByTestId('history-strategy').selectOption('');
  const status = all.some((x) => x.status === 'failed') ? 'failed' : 'simulated';
  await page.getByTestId('history-status').selectOption(status);
  const byStatus = await api(`status=${status}&limit=10`);
  await shows(page, byStatus, 'the status filter');
  assert.ok((await rowsOnPage(page)).every((r) => r.status === status));

  // by time: the whole seconds around the 10th to the 30th newest
  await page.getByTestId('history-status').selectOption('');
  const from = Math.floor(Date.parse(all[29].started_at) / 1000) * 1000;
  const to = Math.ceil(Date.parse(all[9].started_at) / 1000) * 1000;
  // datetime-local takes the browser's local time
  const local = (ms) => page.evaluate((t) => new Date(t - new Date(t).getTimezoneOffset() * 60000).toISOString().slice(0, 19), ms);
  await page.getByTestId('history-from').fill(await local(from));
  await page.getByTestId('history-to').fill(await local(to));
  await page.getByTestId('history-limit').selectOption('100');
  const range = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const byTime = await api(range + '&limit=100');
  assert.ok(byTime.length >= 21, 'the 10th to the 30th at least: ' + byTime.length);
  await shows(page, byTime, 'the time range');
  assert.equal(await page.getByTestId('history-state').getAttribute('data-end'), 'true', 'the end of the range');

  // all four at once
  await page.getByTestId('history-bot').selectOption(bot);
  await page.getByTestId('history-status').selectOption('simulated');
  const strategyOfBot = all.find((x) => x.bot_id === bot).strategy;
  await page.getByTestId('history-strategy').selectOption(strategyOfBot);
  const combined = await api(`bot_id=${bot}&strategy=${strategyOfBot}&status=simulated&${range}&limit=100`);
  await shows(page, combined, 'the four filters');
  assert.ok(combined.length > 0, 'something matches all four');
  await page.mouse.move(0, 0);
  await screenshot(page, 'executions-history');

  // back to any time: the filters but the range stay
  await page.getByTestId('history-any-time').click();
  const anyTime = await api(`bot_id=${bot}&strategy=${strategyOfBot}&status=simulated&limit=100`);
  await shows(page, anyTime, 'any time');

  // a range that ends before it starts: the server's refusal, naming the field, and no rows
  await page.getByTestId('history-from').fill(await local(to));
  await page.getByTestId('history-to').fill(await local(from));
  const refused = await server.call('GET', `/api/arbitrage/executions?from=${new Date(to).toISOString()}&to=${new Date(from).toISOString()}`);
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.details.field, 'from');
  await page.getByTestId('history-error').waitFor();
  assert.equal(await page.getByTestId('history-error').textContent(), '400 ' + refused.json.error.message);
  await shows(page, [], 'no rows for a refused query');
  await page.getByTestId('history-any-time').click();
  await shows(page, anyTime, 'any time again');
  assert.equal(await page.getByTestId('history-error').count(), 0);
  // (Chromium logs the refused request itself)
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), [], 'console errors');
});
