// The WebSocket dropped by a server restart on the same data directory and port: the page shows
// the disconnected banner, reconnects by itself (resume_from; the new server answers with a gap and
// the page re-reads what it missed over REST) and misses no execution: its list equals the
// journal's (GET /executions).
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
  const opened = new Date().toISOString();
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
  // Live again: the new server's bot states reach the page. Then trading stops, and the page's
  // executions since it opened are exactly the journal's.
  for (const bot of ['real_executor', 'layer2_arbitrage']) {
    assert.equal((await server.call('POST', `/api/arbitrage/bots/${bot}/stop`, { body: {} })).status, 200);
  }
  await page.getByTestId('nav-bots').click();
  for (const bot of ['real_executor', 'layer2_arbitrage']) {
    await waitUntil(async () => (await page.getByTestId('bot-row-' + bot).getAttribute('data-state')) === 'stopped', bot + ' stopped on the page', 10 * SECOND);
  }
  const journal = async () => {
    const all = [];
    let cursor = null;
    do {
      const page = await server.get('/api/arbitrage/executions?limit=1000&from=' + encodeURIComponent(opened) + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      all.push(...page.executions);
      cursor = page.next_cursor;
    } while (cursor);
    return all.filter((x) => x.status !== 'rejected');
  };
  // executions in flight when the bots stopped still finish
  await waitUntil(async () => (await journal()).every((x) => x.status !== 'submitted'), 'no execution in flight');
  const expected = (await journal()).map((x) => x.id).sort();
  assert.ok(expected.length > 0, 'the bots traded');
  await page.getByTestId('nav-executions').click();
  await page.getByTestId('execution-status-filter').selectOption('');
  const shown = async () =>
    (
      await page
        .getByTestId('execution-row')
        .evaluateAll((rows) => rows.map((r) => ({ id: r.getAttribute('data-id'), started: r.getAttribute('data-started'), status: r.getAttribute('data-status') })))
    )
      .filter((r) => r.status !== 'rejected' && Date.parse(r.started) >= Date.parse(opened))
      .map((r) => r.id)
      .sort();
  await waitUntil(async () => JSON.stringify(await shown()) === JSON.stringify(expected), 'the page to list the journal\'s ' + expected.length + ' executions', 15 * SECOND).catch(async (e) => {
    const page = await shown();
    const missing = expected.filter((id) => !page.includes(id));
    const extra = page.filter((id) => !expected.includes(id));
    throw new Error(`${e.message}; missing on the page: ${JSON.stringify(missing)}; not in the journal: ${JSON.stringify(extra)}`);
  });
  await screenshot(page, 'reconnected');
  // While the server was down the browser logged failed connection attempts; nothing else.
  assert.deepEqual(problems.filter((p) => !/WebSocket connection|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), [], 'console errors');
});
