import { useEffect, useRef, useState } from 'preact/hooks';
import { API, ApiError, get } from '../api';
import { executed, store } from '../store';
import type { Execution, ExecutionPage } from '../types';
import { clock, dateTime, usd } from '../format';
import { pair, tokenAmount } from '../tokens';
import { Badge, Card, Empty } from './ui';
import { ExecutionsPerMinuteChart, PnlChart } from './charts';

export function ExecutionsTable({ executions, showBot = true, rowTestid = 'execution-row' }: { executions: Execution[]; showBot?: boolean; rowTestid?: string }) {
  if (!executions.length) return <Empty>No executions.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="executions-table">
        <thead>
          <tr>
            <th>Started</th>
            {showBot && <th>Bot</th>}
            <th>Strategy</th>
            <th>Pair</th>
            <th class="num">Size</th>
            <th>Status</th>
            <th class="num">Realized (USD)</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {executions.map((x) => (
            <tr key={x.id} data-testid={rowTestid} data-id={x.id} data-status={x.status} data-started={x.started_at} data-bot={x.bot_id ?? 'api'} data-strategy={x.strategy ?? ''}>
              <td class="sub" title={dateTime(x.started_at) + ' · ' + x.id + ' · opportunity ' + x.opportunity_id}>
                {clock(x.started_at)}
              </td>
              {showBot && <td>{x.bot_id ?? 'api'}</td>}
              <td>{x.strategy ? <span class={'chip strategy-' + x.strategy}>{x.strategy}</span> : <span class="sub">–</span>}</td>
              <td class="route" data-testid="execution-pair">
                {x.legs?.length ? pair(x.legs, x.start_token_symbol) : <span class="sub">–</span>}
              </td>
              <td class="num" data-testid="execution-size">
                {x.amount_in_decimal && x.start_token_symbol ? `${tokenAmount(x.amount_in_decimal)} ${x.start_token_symbol}` : <span class="sub">–</span>}
              </td>
              <td>
                <Badge value={x.status} />
                <div class="sub">{x.mode}</div>
              </td>
              <td class={'num strong ' + ((x.realized_profit_usd ?? 0) < 0 ? 'bad-text' : '')} data-testid="execution-realized">
                {usd(x.realized_profit_usd)}
              </td>
              <td class="sub clip" title={x.reason ?? ''}>
                {x.reason}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUSES = ['', 'simulated', 'confirmed', 'submitted', 'rejected', 'reverted', 'failed'];
const STRATEGIES = ['', 'cross_venue', 'cyclic', 'cross_layer'];
const PAGE_SIZES = [10, 25, 50, 100, 200];

export interface HistoryFilter {
  bot: string;
  strategy: string;
  status: string;
  /** datetime-local values (the browser's local time), '' for open */
  from: string;
  to: string;
  limit: number;
}

/** The route's query for a filter: bot_id, strategy, status, from, to (ISO-8601 UTC) and limit. */
export function historyQuery(f: HistoryFilter, cursor: string | null = null): string {
  const q = new URLSearchParams();
  if (f.bot) q.set('bot_id', f.bot);
  if (f.strategy) q.set('strategy', f.strategy);
  if (f.status) q.set('status', f.status);
  if (f.from) q.set('from', new Date(f.from).toISOString());
  if (f.to) q.set('to', new Date(f.to).toISOString());
  q.set('limit', String(f.limit));
  if (cursor) q.set('cursor', cursor);
  return `${API}/executions?${q}`;
}

/** A Date as a datetime-local value (local time, seconds). */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 19);
}

interface History {
  rows: Execution[];
  next: string | null;
  loading: boolean;
  error: string | null;
  loadedAt: number | null;
}

/**
 * The trade history from the journal, filtered by the server (bot, strategy, status, time range)
 * and read a page at a time with the route's cursor.
 */
export function ExecutionHistory({ bot: fixedBot, initialLimit = 50 }: { bot?: string; initialLimit?: number }) {
  const [filter, setFilter] = useState<HistoryFilter>({ bot: fixedBot ?? '', strategy: '', status: '', from: '', to: '', limit: initialLimit });
  const [history, setHistory] = useState<History>({ rows: [], next: null, loading: true, error: null, loadedAt: null });
  const generation = useRef(0);

  const load = async (f: HistoryFilter, cursor: string | null) => {
    const mine = cursor ? generation.current : ++generation.current;
    setHistory((h) => ({ ...h, loading: true, error: null }));
    try {
      const page = await get<ExecutionPage>(historyQuery(f, cursor));
      if (mine !== generation.current) return; // a newer query replaced this one
      setHistory((h) => ({
        rows: cursor ? [...h.rows, ...page.executions.filter((x) => !h.rows.some((r) => r.id === x.id))] : page.executions,
        next: page.next_cursor,
        loading: false,
        error: null,
        loadedAt: Date.now(),
      }));
    } catch (e) {
      if (mine !== generation.current) return;
      const error = e as ApiError;
      const message = `${error.status ? error.status + ' ' : ''}${error.message}`;
      // a refused query shows no rows: the last ones would not match its filter
      setHistory((h) => (cursor ? { ...h, loading: false, error: message } : { rows: [], next: null, loading: false, error: message, loadedAt: Date.now() }));
    }
  };

  useEffect(() => {
    void load(filter, null);
  }, [filter]);

  const set = (change: Partial<HistoryFilter>) => setFilter((f) => ({ ...f, ...change }));
  const last = (minutes: number) => set({ from: localInput(Date.now() - minutes * 60000), to: '' });
  const botIds = store.state.bots.map((b) => b.bot_id);
  const pages = Math.ceil(history.rows.length / filter.limit);
  return (
    <Card
      title={
        <>
          Execution history{' '}
          <span class="count" data-testid="history-count">
            {history.rows.length}
            {history.next ? '+' : ''}
          </span>
        </>
      }
      actions={
        <button type="button" class="btn btn-ghost btn-small" data-testid="history-refresh" disabled={history.loading} onClick={() => void load(filter, null)}>
          Refresh
        </button>
      }
      testid="execution-history"
    >
      <form class="filters" data-testid="history-filters" onSubmit={(e) => e.preventDefault()}>
        {!fixedBot && (
          <label class="field">
            Bot
            <select value={filter.bot} onChange={(e) => set({ bot: (e.target as HTMLSelectElement).value })} data-testid="history-bot">
              <option value="">all</option>
              {[...botIds, 'api'].map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field">
          Strategy
          <select value={filter.strategy} onChange={(e) => set({ strategy: (e.target as HTMLSelectElement).value })} data-testid="history-strategy">
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s || 'all'}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Status
          <select value={filter.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })} data-testid="history-status">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'all'}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          From
          <input type="datetime-local" step="1" value={filter.from} onChange={(e) => set({ from: (e.target as HTMLInputElement).value })} data-testid="history-from" />
        </label>
        <label class="field">
          To
          <input type="datetime-local" step="1" value={filter.to} onChange={(e) => set({ to: (e.target as HTMLInputElement).value })} data-testid="history-to" />
        </label>
        <span class="presets">
          {[
            [15, '15 min'],
            [60, '1 h'],
            [24 * 60, '24 h'],
          ].map(([minutes, label]) => (
            <button key={label} type="button" class="btn btn-ghost btn-small" onClick={() => last(minutes as number)}>
              {label}
            </button>
          ))}
          <button type="button" class="btn btn-ghost btn-small" data-testid="history-any-time" onClick={() => set({ from: '', to: '' })}>
            any time
          </button>
        </span>
        <label class="field">
          Page
          <select value={filter.limit} onChange={(e) => set({ limit: Number((e.target as HTMLSelectElement).value) })} data-testid="history-limit">
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </form>
      {history.error && (
        <div class="notice bad" data-testid="history-error">
          {history.error}
        </div>
      )}
      <div data-testid="history-state" data-loading={history.loading ? 'true' : 'false'} data-pages={pages} data-end={history.next ? 'false' : 'true'}>
        {history.loadedAt === null && history.loading ? <Empty>Loading…</Empty> : <ExecutionsTable executions={history.rows} showBot={!fixedBot} rowTestid="history-row" />}
      </div>
      <div class="more">
        {history.next ? (
          <button type="button" class="btn btn-ghost" data-testid="history-more" disabled={history.loading} onClick={() => void load(filter, history.next)}>
            {history.loading ? <span class="spinner" aria-hidden="true" /> : null}
            Load {filter.limit} more
          </button>
        ) : (
          history.loadedAt !== null && <span class="sub">{history.rows.length ? 'End of the history for this filter.' : ''}</span>
        )}
        {history.loadedAt !== null && <span class="sub">read {clock(history.loadedAt)}</span>}
      </div>
    </Card>
  );
}

const LIVE_STATUSES = ['executed', '', 'confirmed', 'simulated', 'submitted', 'reverted', 'failed'];

/** The executions this page saw since it opened (the stream, and the journal after a reconnect), newest first. */
function LiveExecutions() {
  const [bot, setBot] = useState('');
  const [status, setStatus] = useState('');
  let rows = [...store.state.executions.values()].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
  if (bot) rows = rows.filter((x) => (x.bot_id ?? 'api') === bot);
  if (status === 'executed') rows = rows.filter(executed);
  else if (status) rows = rows.filter((x) => x.status === status);
  const botIds = store.state.bots.map((b) => b.bot_id);
  return (
    <Card
      title={
        <>
          Live executions <span class="count">{rows.length}</span>
        </>
      }
      actions={
        <>
          <span class="sub">as they happen, since this page opened</span>
          <label class="field">
            Bot
            <select value={bot} onChange={(e) => setBot((e.target as HTMLSelectElement).value)} data-testid="execution-bot-filter">
              <option value="">all</option>
              {[...botIds, 'api'].map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            Status
            <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)} data-testid="execution-status-filter">
              {LIVE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s === 'executed' ? 'executed (confirmed or simulated)' : s || 'all'}
                </option>
              ))}
            </select>
          </label>
        </>
      }
      testid="live-executions"
    >
      <div class="scroll-box">
        <ExecutionsTable executions={rows.slice(0, 1000)} />
      </div>
    </Card>
  );
}

export function ExecutionsPage() {
  const botIds = store.state.bots.map((b) => b.bot_id);
  return (
    <div class="stack">
      <div class="grid two">
        <Card title="Cumulative realized profit">
          <PnlChart botIds={botIds} />
        </Card>
        <Card title="Executions per minute">
          <ExecutionsPerMinuteChart height={260} />
        </Card>
      </div>
      <ExecutionHistory />
      <LiveExecutions />
    </div>
  );
}
