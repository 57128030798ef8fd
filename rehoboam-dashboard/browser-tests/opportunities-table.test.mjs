// The opportunities table reads like a trader's: the pair by token symbols (not addresses), each
// leg's venue, the chains, the size in the start token, the net profit in USD, the age and the
// time to expiry, from the readable fields the API serves; rows that came over the WebSocket
// carry them too. Each row is checked against GET /api/arbitrage/opportunities.
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

const CHAINS = { 1: 'Ethereum', 10: 'Optimism', 42161: 'Arbitrum' };

/** The pair as a person reads it, from the API's symbols: USDT → WETH → USDT. */
function expectedPair(o) {
  const tokens = [o.legs[0].token_in_symbol];
  for (const leg of o.legs) if (leg.dex !== 'bridge') tokens.push(leg.token_out_symbol);
  if (tokens[tokens.length - 1] !== tokens[0]) tokens.push(tokens[0]);
  return tokens.join(' → ');
}

/** "4 min 10 s", "12 s" in milliseconds. */
function durationMs(text) {
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)\s*(d|h|min|s)\b/g)) ms += Number(n) * { d: 86400e3, h: 3600e3, min: 60e3, s: 1e3 }[unit];
  return ms;
}

function compareRow(row, o) {
  const where = `${row.id} (${row.via})`;
  assert.ok(o.start_token_symbol && o.legs.every((l) => l.token_in_symbol && l.token_out_symbol), where + ': the API knows its symbols');
  assert.equal(row.pair, expectedPair(o), where + ': the pair by symbols');
  assert.doesNotMatch(row.pair, /0x/, where + ': no address in the pair');
  // every leg's venue, in order; the chain beside it when the route crosses chains
  let at = -1;
  for (const leg of o.legs) {
    const next = row.venues.indexOf(leg.dex, at + 1);
    assert.ok(next > at, `${where}: venue ${leg.dex} in order in "${row.venues}"`);
    at = next;
  }
  assert.deepEqual(row.chains.split(' · '), [...new Set(o.legs.map((l) => CHAINS[l.chain_id]))], where + ': the chains');
  // size: the start token's amount (four significant digits) and symbol, then its USD value
  const [amountLine, usdLine] = row.size.split('\n');
  assert.ok(amountLine.endsWith(' ' + o.start_token_symbol), `${where}: size "${amountLine}" in ${o.start_token_symbol}`);
  const amount = Number(amountLine.split(' ')[0].replaceAll(',', ''));
  assert.ok(Math.abs(amount - Number(o.amount_in_decimal)) <= Number(o.amount_in_decimal) * 0.001 + 0.5, `${where}: size ${amount} vs ${o.amount_in_decimal}`);
  assert.match(usdLine ?? '', /^\$[\d,.]+k?$/, where + ': size in USD');
  assert.equal(Number(row.netValue), o.net_profit_usd, where + ': net profit in USD');
  const v = o.net_profit_usd;
  const digits = Math.abs(v) > 0 && Math.abs(v) < 1 ? 4 : 2;
  assert.equal(row.net, (v < 0 ? '-$' : '$') + Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }), where);
  assert.ok(Math.abs(durationMs(row.age) - (row.at - Date.parse(o.detected_at))) <= 3 * SECOND, `${where}: age ${row.age}`);
  assert.ok(Math.abs(durationMs(row.expiry) - (Date.parse(o.expires_at) - row.at)) <= 3 * SECOND, `${where}: expires in ${row.expiry}`);
}

const rowsOnPage = (page) =>
  page.getByTestId('opportunity-row').evaluateAll((rows) =>
    rows.map((r) => {
      const cell = (id) => r.querySelector(`[data-testid="${id}"]`);
      return {
        id: r.getAttribute('data-id'),
        via: r.getAttribute('data-via'),
        pair: cell('opp-pair').textContent.trim(),
        venues: cell('opp-venues').textContent.trim(),
        chains: cell('opp-chains').textContent.trim(),
        size: cell('opp-size').innerText.trim(),
        net: cell('opp-net').textContent.trim(),
        netValue: cell('opp-net').getAttribute('data-value'),
        age: cell('opp-age').textContent.trim(),
        expiry: cell('opp-expiry').textContent.trim(),
        at: Date.now(),
      };
    }),
  );

test('the opportunities table shows symbols, venues, chains, size, net profit in USD, age and expiry as the API serves them', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/opportunities');
  await page.getByTestId('opportunity-row').first().waitFor({ timeout: 30 * SECOND });
  await page.getByTestId('sort').selectOption('newest');
  // rows that arrived over the WebSocket after the page read the REST snapshot
  await waitUntil(async () => (await rowsOnPage(page)).filter((r) => r.via === 'stream').length >= 3, 'opportunities from the stream', 30 * SECOND);

  // The book changes by the second (opportunities are traded or replaced): compare the rows that
  // the page and the API both have, read after read, until enough were compared.
  const compared = [];
  const mismatches = [];
  const seen = new Set();
  let shown = [];
  await waitUntil(async () => {
    shown = await rowsOnPage(page);
    const served = new Map((await server.get('/api/arbitrage/opportunities?limit=10000')).opportunities.map((o) => [o.id, o]));
    for (const row of shown) {
      if (!served.has(row.id) || seen.has(row.id)) continue;
      seen.add(row.id);
      try {
        compareRow(row, served.get(row.id));
      } catch (e) {
        mismatches.push(e.message);
      }
      compared.push(row);
    }
    return compared.length >= 5 && compared.some((r) => r.via === 'stream');
  }, 'rows the page and the API both have', 30 * SECOND, 500);
  assert.deepEqual(mismatches, [], 'rows that differ from the API');

  assert.ok(compared.length >= 5, 'rows compared with the API: ' + compared.length);
  assert.ok(compared.some((r) => r.via === 'stream'), 'a row from the WebSocket among them');
  // on the whole table: symbols everywhere (the simulated markets name every token)
  assert.deepEqual(shown.filter((r) => /0x/.test(r.pair)).map((r) => r.id), [], 'rows with an address for a symbol');

  await page.getByTestId('sort').selectOption('profit');
  await page.mouse.move(0, 0);
  await screenshot(page, 'opportunities');
  assert.deepEqual(problems, [], 'console errors');
});
