// A bot's page, reached from the bots table: its settings as the server serves them (secrets
// masked, never shown), its log tail, its executions (the journal's, a page at a time) and its
// profit and loss (the per-bot cumulative chart from GET /api/arbitrage/pnl?bot_id=...).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, screenshot, Server, waitUntil, SECOND } from './harness.mjs';

const SECRET = 's3cret-token-value-never-shown';

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

/** Settings as the page lists them: top-level names, a nested map's entries as name.key (values without white space). */
function flatten(settings) {
  return flattenRaw(settings).map(([k, v]) => [k, v.replace(/\s+/g, '')]);
}

function flattenRaw(settings) {
  const out = [];
  for (const [k, v] of Object.entries(settings)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      for (const [sub, w] of Object.entries(v)) out.push([k + '.' + sub, typeof w === 'object' ? JSON.stringify(w) : String(w)]);
    } else out.push([k, v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  }
  return out;
}

const settingsOnPage = (page) =>
  page.getByTestId('bot-setting').evaluateAll((items) => items.map((i) => [i.getAttribute('data-name'), i.querySelector('dd').textContent.replace(/\s+/g, '')]));

const historyIds = (page) => page.getByTestId('history-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

async function openFromBotsTable(page, bot) {
  await page.getByTestId('nav-bots').click();
  await page.getByTestId('bot-link-' + bot).click();
  await page.locator(`[data-testid="bot-page"][data-bot="${bot}"]`).waitFor();
  assert.equal(new URL(page.url()).hash, '#/bots/' + bot);
}

test('a process bot: its settings as served with the secrets masked, and its log tail', async () => {
  const { page, problems } = browser;
  const registered = await server.call('POST', '/api/arbitrage/bots', {
    body: {
      id: 'shell_bot',
      type: 'process',
      name: 'Example shell bot',
      autostart: true,
      settings: { command: ['bash', 'examples/process-bots/shell_bot.sh'], env: { BOT_MODE: 'demo' }, secret_env: { SHELL_BOT_TOKEN: SECRET } },
    },
  });
  assert.equal(registered.status, 201, registered.text);
  await page.goto(server.base + '/');
  await openFromBotsTable(page, 'shell_bot');
  await waitUntil(async () => (await page.getByTestId('bot-state-shell_bot').first().textContent()) === 'running', 'shell_bot running');

  const served = (await server.get('/api/arbitrage/bots/shell_bot')).settings;
  assert.equal(served.secret_env, '***');
  await waitUntil(async () => (await settingsOnPage(page)).length > 0, 'the settings');
  assert.deepEqual(await settingsOnPage(page), flatten(served), 'the settings, as served');
  assert.deepEqual(
    await page.locator('dd.masked').evaluateAll((d) => d.map((e) => e.parentElement.getAttribute('data-name'))),
    ['env.BOT_MODE', 'secret_env'],
    'the masked settings are marked',
  );
  assert.ok(!(await page.content()).includes(SECRET), 'the secret is nowhere in the page');

  // the log tail: the bot's last lines, the same as GET .../logs once the bot is stopped
  await waitUntil(async () => ((await page.getByTestId('bot-log').textContent()) ?? '').includes('shell bot up'), 'the log tail');
  await page.getByTestId('stop-shell_bot').click();
  await waitUntil(async () => (await page.getByTestId('bot-state-shell_bot').first().textContent()) === 'stopped', 'shell_bot stopped');
  await waitUntil(async () => {
    const { lines } = await server.get('/api/arbitrage/bots/shell_bot/logs?lines=200');
    return lines.length > 0 && (await page.getByTestId('bot-log').textContent()) === lines.join('\n');
  }, 'the page log to be the API log');
  await page.mouse.move(0, 0);
  await screenshot(page, 'bot-page-process');
  assert.deepEqual(problems, [], 'console errors');
});

test("a trading bot: its PnL chart ends at the pnl route's total, its executions are the journal's, a page at a time", async () => {
  const { page, problems } = browser;
  // a bot with enough trades for two pages of 10 (the simulated market's pace varies), stopped
  // then, so that its figures stay put
  const bot = await waitUntil(async () => {
    for (const id of ['real_executor', 'layer2_arbitrage']) {
      if ((await server.get('/api/arbitrage/pnl?bot_id=' + id)).totals.executions >= 21) return id;
    }
    return null;
  }, 'a bot with 21 executions', 150 * SECOND, 1000);
  assert.equal((await server.call('POST', `/api/arbitrage/bots/${bot}/stop`, { body: {} })).status, 200);
  await page.goto(server.base + '/');
  await openFromBotsTable(page, bot);

  const pnl = await server.get('/api/arbitrage/pnl?bot_id=' + bot);
  const chart = page.getByTestId('bot-pnl-chart');
  await chart.waitFor();
  await waitUntil(async () => Number(await chart.getAttribute('data-last')) === pnl.totals.realized_profit_usd, "the chart's last point at the route's total");
  assert.ok(Number(await chart.getAttribute('data-points')) >= 2, 'a line, not a point');
  assert.equal(await page.getByTestId('pnl-executions').textContent(), pnl.totals.executions.toLocaleString('en-US'));
  assert.equal(await page.getByTestId('pnl-failed').textContent(), pnl.totals.failed.toLocaleString('en-US'));
  const realized = pnl.totals.realized_profit_usd;
  assert.equal(await page.getByTestId('pnl-realized').textContent(), '$' + realized.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

  // executions: the journal's newest 10 of this bot, then the next 10 by its cursor
  await page.getByTestId('history-limit').selectOption('10');
  const first = await server.get(`/api/arbitrage/executions?bot_id=${bot}&limit=10`);
  const second = await server.get(`/api/arbitrage/executions?bot_id=${bot}&limit=10&cursor=` + encodeURIComponent(first.next_cursor));
  await waitUntil(async () => (await historyIds(page)).length === 10, 'the first page');
  assert.deepEqual(await historyIds(page), first.executions.map((x) => x.id));
  await page.getByTestId('history-more').click();
  await waitUntil(async () => (await historyIds(page)).length === 20, 'the second page');
  assert.deepEqual(await historyIds(page), [...first.executions, ...second.executions].map((x) => x.id));
  const pairs = await page.getByTestId('execution-pair').allTextContents();
  assert.ok(pairs.every((p) => p.includes(' → ') && !p.includes('0x')), 'pairs by symbol: ' + pairs.slice(0, 3));

  await page.getByTestId('history-refresh').click();
  await waitUntil(async () => (await historyIds(page)).length === 10, 'back to the first page');
  await page.mouse.move(0, 0);
  await screenshot(page, 'bot-page');
  assert.deepEqual(problems, [], 'console errors');
});
