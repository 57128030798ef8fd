import { useEffect, useState } from 'preact/hooks';
import { API, get } from '../api';
import { store } from '../store';
import type { BotStatus, Execution, ExecutionPage } from '../types';
import { count, dateTime, since, usd } from '../format';
import { ActionButton, Badge, Card, Empty } from './ui';
import { PnlChart } from './charts';
import { ExecutionsTable } from './executions';

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
                <a class="strong" href={'#/bots/' + encodeURIComponent(bot.bot_id)}>
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

const SENSITIVE = /key|secret|password|token|mnemonic|private/i;

function Settings({ settings }: { settings: Record<string, unknown> | undefined }) {
  if (!settings) return <Empty>This server does not show bot settings.</Empty>;
  const entries = Object.entries(settings);
  if (!entries.length) return <Empty>No settings.</Empty>;
  return (
    <dl class="settings" data-testid="bot-settings">
      {entries.map(([k, v]) => (
        <div key={k} class="setting">
          <dt>{k}</dt>
          <dd>{SENSITIVE.test(k) && typeof v === 'string' && !/^\*+$/.test(v) ? '••••••' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function BotPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<BotStatus | null>(null);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [trades, setTrades] = useState<Execution[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const [bot, logs, history] = await Promise.all([
          get<BotStatus>(`${API}/bots/${encodeURIComponent(id)}`),
          get<{ lines: string[] }>(`${API}/bots/${encodeURIComponent(id)}/logs?lines=200`),
          store.has('GET ' + API + '/executions')
            ? get<ExecutionPage>(`${API}/executions?limit=50&bot_id=${encodeURIComponent(id)}`)
            : Promise.resolve(null),
        ]);
        if (!live) return;
        setDetail(bot);
        setLines(logs.lines);
        setTrades(history?.executions ?? null);
        setError(null);
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    void load();
    const timer = window.setInterval(load, 2000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [id]);
  const bot = store.state.bots.find((b) => b.bot_id === id) ?? detail;
  if (!bot) return <Card title={id}>{error ? <Empty>{error}</Empty> : <Empty>Loading…</Empty>}</Card>;
  // The journal's newest when the server has it, else what this page saw.
  const executions = trades ?? [...store.state.executions.values()].filter((x) => x.bot_id === id).reverse();
  const now = store.state.now;
  return (
    <div class="stack">
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
        <Card title="Realized profit">
          <PnlChart botIds={[id]} only={id} height={200} />
        </Card>
        <Card title="Health">
          <p>
            <Badge value={bot.health?.status} /> {bot.health?.message}
          </p>
          <h3>Settings</h3>
          <Settings settings={(detail ?? bot).settings} />
        </Card>
      </div>
      <Card title="Log" actions={<span class="sub">last {lines.length} lines, refreshed every 2 s</span>}>
        <pre class="log" data-testid="bot-log">{lines.length ? lines.join('\n') : 'No log lines yet.'}</pre>
      </Card>
      <Card title="Executions">
        <ExecutionsTable executions={executions.slice(0, 50)} />
      </Card>
    </div>
  );
}
