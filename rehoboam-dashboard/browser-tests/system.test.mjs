// The System page: the alerts the server raised (GET /api/arbitrage/alerts, the ones its log and
// webhooks get) and the health problems of GET /health, as they happen: a bot that fails enters
// error (alert bot_error, problem "bot broken is error") and the kill switch is tripped over REST
// (alert kill_switch_tripped).
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

const alertsOnPage = (page) =>
  page.getByTestId('server-alert').evaluateAll((items) =>
    items.map((i) => ({ alert: i.getAttribute('data-alert'), severity: i.getAttribute('data-severity'), message: i.querySelector('.alert-message').textContent })),
  );

const problemsOnPage = (page) => page.getByTestId('health-problem').allTextContents();

test('the System page lists the alerts the server raised and the health problems, as they happen', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/system');
  await page.locator('main[data-page="system"]').waitFor();
  await waitUntil(async () => (await server.call('GET', '/health')).status === 200, 'the server ready');
  assert.deepEqual((await server.get('/api/arbitrage/alerts')).alerts, []);
  await waitUntil(async () => /raised no alert/.test(await page.getByTestId('alerts-card').textContent()), 'no alert yet');
  await waitUntil(async () => (await problemsOnPage(page)).length === 0, 'no health problem yet');

  // a bot that fails at once and is not restarted
  const registered = await server.call('POST', '/api/arbitrage/bots', {
    body: { id: 'broken', type: 'process', name: 'Broken bot', autostart: true, restart: { policy: 'never' }, settings: { command: ['false'] } },
  });
  assert.equal(registered.status, 201, registered.text);
  await waitUntil(async () => (await server.get('/api/arbitrage/bots/broken')).status === 'error', 'broken in error');
  const tripped = await server.call('POST', '/api/arbitrage/risk/kill-switch/trip', { body: { reason: 'exchange incident drill' } });
  assert.equal(tripped.status, 200, tripped.text);

  const served = await waitUntil(async () => {
    const { alerts } = await server.get('/api/arbitrage/alerts');
    return alerts.length === 2 ? alerts : null;
  }, 'the two alerts on the server');
  assert.deepEqual(served.map((a) => a.alert), ['kill_switch_tripped', 'bot_error']);
  await waitUntil(async () => (await alertsOnPage(page)).length === 2, 'the two alerts on the page', 15 * SECOND);
  assert.deepEqual(
    await alertsOnPage(page),
    served.map((a) => ({ alert: a.alert, severity: a.severity, message: a.message })),
    "the page's alerts are the server's, newest first",
  );
  assert.match(served[0].message, /exchange incident drill/);
  assert.equal(await page.getByTestId('server-alert-count').textContent(), '2');

  const health = await server.call('GET', '/health');
  assert.equal(health.status, 503);
  assert.ok(health.json.problems.includes('bot broken is error'), JSON.stringify(health.json.problems));
  await waitUntil(async () => JSON.stringify(await problemsOnPage(page)) === JSON.stringify(health.json.problems), 'the health problems of GET /health', 15 * SECOND);
  assert.equal(await page.getByTestId('readiness').locator('.badge').textContent(), 'down');
  await page.mouse.move(0, 0);
  await screenshot(page, 'system');

  // an alert names its bot: a link to the bot's page
  await page.getByTestId('server-alert').nth(1).locator('a[href="#/bots/broken"]').click();
  await page.locator('[data-testid="bot-page"][data-bot="broken"]').waitFor();
  assert.equal(await page.getByTestId('bot-state-broken').first().textContent(), 'error');

  // bad input: the route names the parameter it refuses
  const bad = await server.call('GET', '/api/arbitrage/alerts?limit=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.details.field, 'limit');
  assert.deepEqual(problems.filter((p) => !/status of 503/.test(p)), [], 'console errors (a 503 of /health is the not-ready answer the page reads)');
});
