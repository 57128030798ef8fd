// The kill switch from the page: a confirmed trip stops every execution (the bots' and one asked
// for on the page), the tripped banner shows on every page, and a confirmed reset lets executions
// through again.
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

const executionsSince = async (iso) => (await server.get('/api/arbitrage/executions?limit=1000&from=' + encodeURIComponent(iso))).executions;

test('tripping the kill switch from the page stops executions, shows on every page, and resetting resumes', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/risk');
  const killSwitch = page.getByTestId('kill-switch');
  await killSwitch.waitFor();
  assert.equal(await killSwitch.getAttribute('data-tripped'), 'false');
  // trading before the trip
  await waitUntil(async () => (await executionsSince(new Date(Date.now() - 60 * SECOND).toISOString())).length > 0, 'executions before the trip');

  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type() + ': ' + dialog.message());
    void dialog.accept();
  });
  await page.getByTestId('kill-switch-trip').click();
  await page.getByTestId('kill-switch-banner').waitFor({ timeout: 10 * SECOND });
  assert.match(dialogs[0], /^confirm: Trip the kill switch\?/);
  const tripped = await server.get('/api/arbitrage/risk');
  assert.equal(tripped.kill_switch.tripped, true);
  assert.equal(tripped.kill_switch.by, 'anonymous');
  assert.equal(tripped.kill_switch.reason, 'tripped from the dashboard');
  await waitUntil(async () => (await killSwitch.getAttribute('data-tripped')) === 'true', 'the risk page to show the switch tripped');

  // The bots keep finding opportunities and every execution is refused: nothing started after the trip.
  await page.getByTestId('risk-rejections').getByText('kill_switch').waitFor({ timeout: 20 * SECOND });
  await waitUntil(async () => {
    const text = await page.getByTestId('risk-rejections').textContent();
    const m = /kill_switch\s*([\d,]+)/.exec(text ?? '');
    return m && Number(m[1].replace(/,/g, '')) >= 5;
  }, 'five executions refused by the kill switch', 20 * SECOND);
  // Asked for by hand, an execution is refused too.
  await page.getByTestId('nav-opportunities').click();
  const refused = await executeFromTable(page, /: 422 /);
  assert.match(refused, /kill_switch/);
  assert.deepEqual((await executionsSince(tripped.kill_switch.at)).map((x) => x.id), [], 'executions started after the trip');

  for (const tab of ['overview', 'bots', 'opportunities', 'executions', 'system', 'risk']) {
    await page.getByTestId('nav-' + tab).click();
    await page.locator(`main[data-page="${tab}"]`).waitFor();
    assert.equal(await page.getByTestId('kill-switch-banner').isVisible(), true, 'the banner on ' + tab);
    if (tab === 'bots') await screenshot(page, 'kill-switch-bots');
  }
  await page.mouse.move(0, 0);
  await screenshot(page, 'kill-switch-tripped');

  await page.getByTestId('kill-switch-reset').click();
  await page.getByTestId('kill-switch-banner').waitFor({ state: 'detached', timeout: 10 * SECOND });
  assert.match(dialogs[1], /^confirm: Reset the kill switch\?/);
  const reset = await server.get('/api/arbitrage/risk');
  assert.equal(reset.kill_switch.tripped, false);
  assert.equal(reset.kill_switch.reset_by, 'anonymous');
  await waitUntil(async () => (await killSwitch.getAttribute('data-tripped')) === 'false', 'the risk page to show the switch armed');
  // Executions go through again: one asked for on the page, and it is in the journal.
  await page.getByTestId('nav-opportunities').click();
  const executed = await executeFromTable(page, /Executed .*: (confirmed|simulated)/);
  const id = /Executed (\S+):/.exec(executed)[1];
  assert.ok((await executionsSince(reset.kill_switch.reset_at)).some((x) => x.opportunity_id === id), 'the execution after the reset in the journal');
  await page.getByTestId('nav-risk').click();
  await screenshot(page, 'kill-switch-reset');
  // The browser logs the refused requests (the kill switch's 422, opportunities gone by the click).
  assert.deepEqual(problems.filter((p) => !/status of (404|409|410|422)/.test(p)), [], 'console errors');
});
