// The analyses page: the latest analyses of an ai_analyst bot (time, regime, anomalies, suggestions,
// risk flags) as GET /api/arbitrage/analyses serves them, and a new one live over the WebSocket
// without a reload. The model is a local stand-in speaking the chat-completions protocol (the real
// API cannot be reached here). Also: the profit chart's time axis, with a history of seconds, is
// labelled in whole seconds, never in fractions of one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { configWith, openBrowser, screenshot, Server, waitUntil, SECOND } from './harness.mjs';

const KEY = 'sk-test-analyst-key';
const ANSWERS = [
  {
    market_regime: 'volatile',
    summary: 'Spreads widened on the layer-2 chains.',
    anomalies: [{ description: 'cross_layer profits doubled in ten minutes', severity: 'medium' }],
    suggested_changes: [{ bot_id: 'real_executor', setting: 'min_profit', value: 2, reason: 'fewer marginal trades while volatile' }],
    risk_flags: [{ flag: 'loss_streak', severity: 'low', reason: 'two failed legs this hour', trip_kill_switch: false }],
  },
  {
    market_regime: 'stressed',
    anomalies: [],
    suggested_changes: [],
    risk_flags: [{ flag: 'oracle_divergence', severity: 'critical', reason: 'prices diverge 40% across venues', trip_kill_switch: true }],
  },
];

let model;
let server;
let browser;
const requests = [];

before(async () => {
  let answered = 0;
  model = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      const answer = ANSWERS[Math.min(answered++, ANSWERS.length - 1)];
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify(answer) } }], usage: { total_tokens: 321 } }));
    });
  });
  await new Promise((resolve) => model.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${model.address().port}`;
  const config = configWith([
    [
      '  # - id: analyst\n  #   type: ai_analyst\n  #   autostart: true\n  #   settings: {model: deepseek-chat, interval: 15m, max_tokens_per_day: 200000}',
      `  - id: analyst\n    type: ai_analyst\n    autostart: true\n    settings: {base_url: "${base}", model: deepseek-chat, interval: 15m, max_tokens_per_day: 200000}`,
    ],
  ]);
  server = await new Server({ config, env: { DEEPSEEK_API_KEY: KEY } }).start();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => (model ? model.close(resolve) : resolve()));
});

const rows = (page) =>
  page.getByTestId('analysis-row').evaluateAll((trs) =>
    trs.map((tr) => ({
      seq: Number(tr.getAttribute('data-seq')),
      bot: tr.getAttribute('data-bot'),
      regime: tr.getAttribute('data-regime'),
      time: tr.querySelector('[data-testid="analysis-time"]').getAttribute('title'),
      anomalies: [...tr.querySelectorAll('[data-testid="analysis-anomaly"]')].map((li) => li.textContent.trim()),
      suggestions: [...tr.querySelectorAll('[data-testid="analysis-suggestion"]')].map((li) => li.textContent.trim()),
      flags: [...tr.querySelectorAll('[data-testid="analysis-flag"]')].map((li) => ({ severity: li.getAttribute('data-severity'), text: li.textContent.trim() })),
    })),
  );

test('the profit chart labels a short history in whole seconds', async () => {
  const { page } = browser;
  await page.goto(server.base + '/#/');
  const chart = page.getByTestId('pnl-chart').first();
  await chart.waitFor({ timeout: 30 * SECOND });
  // a history of a few seconds: the case that used to get labels such as 12:00:01.200
  const ticks = await waitUntil(async () => await chart.getAttribute('data-x-ticks'), 'the chart to draw its time axis');
  const labels = ticks.split('|');
  assert.ok(labels.length >= 2, ticks);
  for (const label of labels) assert.match(label, /^\d\d:\d\d(:\d\d)?$/, 'a label in whole seconds: ' + ticks);
  assert.equal(new Set(labels).size, labels.length, 'no two ticks with the same label: ' + ticks);
  await screenshot(page, 'overview-short-history');
});

test('the analyses page shows the latest analyses as the API serves them, and a new one live', async () => {
  const { page, problems } = browser;
  await page.goto(server.base + '/#/analyses');
  await page.evaluate(() => document.documentElement.setAttribute('data-test-mark', 'loaded-once'));
  // The bot's first analysis comes as it starts.
  await page.getByTestId('analysis-row').first().waitFor({ timeout: 60 * SECOND });
  const served = (await server.get('/api/arbitrage/analyses')).analyses;
  assert.equal(served.length, 1, JSON.stringify(served));
  const [first] = await rows(page);
  assert.equal(first.seq, served[0].seq);
  assert.equal(first.bot, 'analyst');
  assert.equal(first.regime, 'volatile');
  assert.ok(first.time && first.time.length > 0);
  assert.deepEqual(first.anomalies, ['medium cross_layer profits doubled in ten minutes']);
  assert.equal(first.suggestions.length, 1);
  assert.match(first.suggestions[0], /^real_executor\.min_profit = 2\s*fewer marginal trades while volatile$/);
  assert.equal(first.flags.length, 1);
  assert.equal(first.flags[0].severity, 'low');
  assert.match(first.flags[0].text, /^low loss_streak\s*two failed legs this hour$/);
  assert.match(await page.getByTestId('analysis-tokens').first().textContent(), /321.*deepseek-chat/);

  // On demand: the next analysis reaches the page over the WebSocket, on top, without a reload.
  const analyze = await server.call('POST', '/api/arbitrage/bots/analyst/command', { body: { type: 'analyze' } });
  assert.equal(analyze.status, 200, analyze.text);
  await waitUntil(async () => (await rows(page)).length === 2, 'the second analysis on the page', 30 * SECOND);
  const [newest, older] = await rows(page);
  assert.ok(newest.seq > older.seq);
  assert.equal(newest.regime, 'stressed');
  assert.deepEqual(newest.anomalies, []);
  assert.deepEqual(newest.suggestions, []);
  assert.equal(newest.flags.length, 1);
  assert.equal(newest.flags[0].severity, 'critical');
  assert.match(newest.flags[0].text, /oracle_divergence · asks for the kill switch\s*prices diverge 40% across venues/);
  const again = (await server.get('/api/arbitrage/analyses')).analyses;
  assert.deepEqual(
    [newest.seq, older.seq],
    again.map((a) => a.seq),
    'the page shows what the API serves, newest first',
  );
  // Advice only: the kill switch stays armed (allow_kill_switch is false), the setting unchanged.
  const risk = await server.get('/api/arbitrage/risk');
  assert.equal(risk.kill_switch.tripped, false);
  assert.equal(Number((await server.get('/api/arbitrage/bots/real_executor')).settings.min_profit), 0);
  // The model got the key in the header only.
  assert.ok(requests.length >= 2);
  for (const r of requests) {
    assert.equal(r.url, '/chat/completions');
    assert.equal(r.authorization, 'Bearer ' + KEY);
    assert.ok(!r.body.includes(KEY), 'no key in the body');
  }
  await screenshot(page, 'analyses');
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-test-mark')), 'loaded-once', 'the page was reloaded');
  assert.deepEqual(problems, [], 'console errors');
});
