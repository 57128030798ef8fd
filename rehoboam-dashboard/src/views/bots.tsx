import { useEffect, useState } from 'preact/hooks';
import { API, get } from '../api';
import { store } from '../store';
import type { BotStatus, PnlFigures, PnlReport } from '../types';
import { count, dateTime, since, usd } from '../format';
import { ActionButton, Badge, Card, Empty } from './ui';
import { CumulativeChart } from './charts';
import { ExecutionHistory } from './executions';

function BotActions({ bot }: { bot: BotStatus }) {
  const busy = store.state.busy;
  const id = bot.bot_id;
  const atRest = bot.status === 'stopped' || bot.status === 'registered' || bot.status === 'error';
  return (
    <div class="actions">
      <ActionButton scope="control" kind="primary" testid={'start-' + id} busy={busy.has('start:' + id)} onClick={() => void store.startBot(id)} disabledReason={atRest ? null : 'already ' + bot.status}>
        Start
      </ActionButton>
      <ActionButton scope="control" testid={'stop-' + id} busy={busy.has('stop:' + id)} onClick={() => void store.stopBot(id)} disabledReason={atRest ? 'already ' + bot.status : null}>
        Stop
      </ActionButton>
      <ActionButton scope="control" testid={'restart-' + id} busy={busy.has('restart:' + id)} onClick={() => void store.restartBot(id)}>
        Restart
      </ActionButton>
    </div>
  );
}

function uptime(bot: BotStatus, now: number): string {
  return bot.status === 'running' && bot.start_time ? since(bot.start_time, now) : '–';
}

export function BotsTable({ compact = false }: { compact?: boolean }) {
  const { bots, now } = store.state;
  if (!bots.length) return <Empty>No bots are registered.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="bots-table">
        <thead>
          <tr>
            <th>Bot</th>
            <th>State</th>
            <th>Health</th>
            <th class="num">Uptime</th>
            <th class="num">Restarts</th>
            <th class="num">Opportunities</th>
            <th class="num">Profit</th>
            {!compact && <th>Last activity</th>}
            <th class="actions-col">Control</th>
          </tr>
        </thead>
        <tbody>
          {bots.map((bot) => (
            <tr key={bot.bot_id} data-testid={'bot-row-' + bot.bot_id} data-state={bot.status}>
              <td>
                <a class="strong" href={'#/bots/' + encodeURIComponent(bot.bot_id)} data-testid={'bot-link-' + bot.bot_id} title="settings, log, executions and PnL">
                  {bot.name || bot.bot_id}
                </a>
                <div class="sub">
                  {bot.bot_id} · {bot.type}
                </div>
              </td>
              <td>
                <Badge value={bot.status} testid={'bot-state-' + bot.bot_id} />
                {bot.error_message && bot.status !== 'running' && <div class="sub bad-text">{bot.error_message}</div>}
              </td>
              <td class="health-cell">
                <Badge value={bot.health?.status} />
                {!compact && <div class="sub clip" title={bot.health?.message ?? ''}>{bot.health?.message}</div>}
              </td>
              <td class="num">{uptime(bot, now)}</td>
              <td class="num">{count(bot.restarts)}</td>
              <td class="num">{count(bot.opportunities_found)}</td>
              <td class="num strong" data-testid={'bot-profit-' + bot.bot_id}>
                {usd(store.profitOf(bot.bot_id))}
              </td>
              {!compact && <td class="sub">{since(bot.last_activity, now)} ago</td>}
              <td class="actions-col">
                <BotActions bot={bot} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function BotsPage() {
  return (
    <div class="stack">
      <Card title="Bots" testid="bots-card">
        <BotsTable />
      </Card>
    </div>
  );
}

/** A value as the server sent it: `***` is a masked secret, shown as such (never unmasked here). */
function settingValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  // a list of maps: one entry a line
  if (Array.isArray(v) && v.some((e) => e && typeof e === 'object')) return v.map((e) => JSON.stringify(e)).join('\n');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Settings as served: top-level names, a nested map's entries as name.key; masked ones marked. */
export function settingEntries(settings: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      for (const [sub, w] of Object.entries(v as Record<string, unknown>)) out.push([k + '.' + sub, w]);
    } else out.push([k, v]);
  }
  return out;
}

function Settings({ settings }: { settings: Record<string, unknown> | undefined }) {
  if (!settings) return <Empty>This server does not show bot settings.</Empty>;
  const entries = settingEntries(settings);
  if (!entries.length) return <Empty>No settings: the bot type's defaults apply.</Empty>;
  return (
    <dl class="settings" data-testid="bot-settings">
      {entries.map(([k, v]) => {
        const text = settingValue(v);
        return (
          <div key={k} class={'setting' + (text.length > 44 ? ' wide' : '')} data-testid="bot-setting" data-name={k}>
            <dt>{k}</dt>
            <dd class={v === '***' ? 'masked' : ''} data-testid="bot-setting-value">
              {text}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

interface BotPnl {
  totals: PnlFigures;
  times: number[];
  values: number[];
}

/** A bot's cumulative realized profit: per minute over the last six hours (GET /pnl?bot_id=...), ending at its all-time total. */
async function loadBotPnl(id: string): Promise<BotPnl> {
  const from = new Date(Date.now() - 6 * 3600_000).toISOString();
  const bot = encodeURIComponent(id);
  const [all, recent] = await Promise.all([
    get<PnlReport>(`${API}/pnl?bot_id=${bot}&bucket=day`),
    get<PnlReport>(`${API}/pnl?bot_id=${bot}&bucket=minute&from=${encodeURIComponent(from)}`),
  ]);
  const total = all.totals.realized_profit_usd;
  const series = [...recent.series].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  // before the window: the total less what the window added
  let running = total - series.reduce((n, b) => n + b.figures.realized_profit_usd, 0);
  const times: number[] = [];
  const values: number[] = [];
  if (series.length) {
    times.push(Date.parse(series[0].start) / 1000);
    values.push(running);
  }
  for (const b of series) {
    running += b.figures.realized_profit_usd;
    times.push(Date.parse(b.end) / 1000);
    values.push(running);
  }
  if (values.length) values[values.length - 1] = total; // exactly the route's total, without float drift
  return { totals: all.totals, times, values };
}

function Figures({ totals }: { totals: PnlFigures }) {
  const items: [string, string, string][] = [
    ['Realized profit', usd(totals.realized_profit_usd), 'pnl-realized'],
    ['Executions', count(totals.executions), 'pnl-executions'],
    ['Succeeded', count(totals.succeeded), 'pnl-succeeded'],
    ['Failed', count(totals.failed), 'pnl-failed'],
    ['Win rate', (totals.win_rate * 100).toFixed(1) + ' %', 'pnl-win-rate'],
    ['Gas cost', usd(totals.gas_cost_usd), 'pnl-gas'],
  ];
  return (
    <dl class="figures" data-testid="bot-pnl-figures">
      {items.map(([label, value, testid]) => (
        <div key={label} class="figure">
          <dt>{label}</dt>
          <dd data-testid={testid}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function BotPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<BotStatus | null>(null);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [pnl, setPnl] = useState<BotPnl | null>(null);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const [bot, logs] = await Promise.all([
          get<BotStatus>(`${API}/bots/${encodeURIComponent(id)}`),
          get<{ lines: string[] }>(`${API}/bots/${encodeURIComponent(id)}/logs?lines=200`),
        ]);
        if (!live) return;
        setDetail(bot);
        setLines(logs.lines);
        setError(null);
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    const loadPnl = async () => {
      if (!store.has('GET ' + API + '/pnl')) return;
      try {
        const p = await loadBotPnl(id);
        if (live) setPnl(p);
      } catch {
        // the connection banner says why
      }
    };
    void load();
    void loadPnl();
    const timer = window.setInterval(load, 2000);
    const pnlTimer = window.setInterval(loadPnl, 5000);
    return () => {
      live = false;
      window.clearInterval(timer);
      window.clearInterval(pnlTimer);
    };
  }, [id]);
  const bot = store.state.bots.find((b) => b.bot_id === id) ?? detail;
  if (!bot) return <Card title={id}>{error ? <Empty>{error}</Empty> : <Empty>Loading…</Empty>}</Card>;
  const now = store.state.now;
  return (
    <div class="stack" data-testid="bot-page" data-bot={id}>
      <div class="page-head">
        <div>
          <a href="#/bots" class="sub">
            ← Bots
          </a>
          <h1>
            {bot.name || bot.bot_id} <Badge value={bot.status} testid={'bot-state-' + bot.bot_id} />
          </h1>
          <div class="sub">
            {bot.bot_id} · type {bot.type} · desired {bot.desired_state}
            {bot.process_id ? ' · pid ' + bot.process_id : ''}
          </div>
        </div>
        <BotActions bot={bot} />
      </div>
      <div class="grid kpis">
        <div class="kpi">
          <div class="kpi-label">Profit</div>
          <div class="kpi-value">{usd(store.profitOf(id))}</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">Uptime</div>
          <div class="kpi-value">{uptime(bot, now)}</div>
          <div class="kpi-hint">since {dateTime(bot.start_time)}</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">Restarts</div>
          <div class="kpi-value">{count(bot.restarts)}</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">Opportunities found</div>
          <div class="kpi-value">{count(bot.opportunities_found)}</div>
        </div>
      </div>
      {bot.error_message && <div class="notice bad">{bot.error_message}</div>}
      <div class="grid two">
        <Card title="Profit and loss" actions={<span class="sub">from the journal, per minute</span>} testid="bot-pnl">
          {pnl ? (
            <>
              <Figures totals={pnl.totals} />
              {pnl.times.length ? (
                <CumulativeChart times={pnl.times} values={pnl.values} label={'cumulative realized profit · ' + id} height={200} testid="bot-pnl-chart" />
              ) : (
                <Empty>No finished execution in the last six hours.</Empty>
              )}
            </>
          ) : (
            <Empty>{store.has('GET ' + API + '/pnl') ? 'Loading…' : 'This server has no PnL route.'}</Empty>
          )}
        </Card>
        <Card title="Settings" actions={<span class="sub">as the server shows them: secrets masked (***)</span>} testid="bot-settings-card">
          <p class="health-line">
            <Badge value={bot.health?.status} /> <span class="sub">{bot.health?.message}</span>
          </p>
          <Settings settings={(detail ?? bot).settings} />
        </Card>
      </div>
      <Card title="Log" actions={<span class="sub">last {lines.length} lines, refreshed every 2 s</span>}>
        <pre class="log" data-testid="bot-log">{lines.length ? lines.join('\n') : 'No log lines yet.'}</pre>
      </Card>
      <ExecutionHistory bot={id} initialLimit={25} />
    </div>
  );
}
