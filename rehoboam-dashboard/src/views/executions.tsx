import { useState } from 'preact/hooks';
import { executed, store } from '../store';
import type { Execution } from '../types';
import { clock, shortAddress, usd } from '../format';
import { Badge, Card, Empty } from './ui';
import { ExecutionsPerMinuteChart, PnlChart } from './charts';

export function ExecutionsTable({ executions }: { executions: Execution[] }) {
  if (!executions.length) return <Empty>No executions yet.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="executions-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Bot</th>
            <th>Status</th>
            <th>Opportunity</th>
            <th>Mode</th>
            <th class="num">Realized</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {executions.map((x) => (
            <tr key={x.id} data-testid="execution-row" data-id={x.id} data-status={x.status} data-started={x.started_at}>
              <td class="sub">{clock(x.finished_at ?? x.started_at)}</td>
              <td>{x.bot_id ?? 'api'}</td>
              <td>
                <Badge value={x.status} />
              </td>
              <td class="mono sub" title={x.opportunity_id}>
                {shortAddress(x.opportunity_id)}
              </td>
              <td class="sub">{x.mode}</td>
              <td class="num strong">{usd(x.realized_profit_usd)}</td>
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

const STATUSES = ['executed', '', 'confirmed', 'simulated', 'submitted', 'rejected', 'reverted', 'failed'];

export function ExecutionsPage() {
  const [bot, setBot] = useState('');
  const [status, setStatus] = useState('executed');
  // newest first by start time (the journal's older pages come in behind the live ones)
  let rows = [...store.state.executions.values()].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
  if (bot) rows = rows.filter((x) => (x.bot_id ?? 'api') === bot);
  if (status === 'executed') rows = rows.filter(executed);
  else if (status) rows = rows.filter((x) => x.status === status);
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
      <Card
        title={
          <>
            Executions <span class="count">{rows.length}</span>
          </>
        }
        actions={
          <>
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
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s === 'executed' ? 'executed (confirmed or simulated)' : s || 'all'}
                  </option>
                ))}
              </select>
            </label>
          </>
        }
      >
        <ExecutionsTable executions={rows.slice(0, 1000)} />
        {store.state.olderCursor && (
          <div class="more">
            <button type="button" class="btn btn-ghost" data-testid="load-older" disabled={store.state.busy.has('older')} onClick={() => void store.loadOlder()}>
              Load older executions from the journal
            </button>
          </div>
        )}
      </Card>
    </div>
  );
}
