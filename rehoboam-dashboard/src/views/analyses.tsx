// The latest market analyses of the ai_analyst bots (GET /api/arbitrage/analyses, then live over the
// WebSocket topic `analysis`): advice only, nothing here is applied by itself.
import { store } from '../store';
import { clock, count, dateTime } from '../format';
import type { Analysis } from '../types';
import { Badge, Card, Empty } from './ui';

function value(v: number | string | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function AnalysisRow({ a }: { a: Analysis }) {
  return (
    <tr data-testid="analysis-row" data-seq={a.seq} data-bot={a.bot_id} data-regime={a.market_regime}>
      <td class="nowrap" title={dateTime(a.at)} data-testid="analysis-time">
        {clock(a.at)}
        <div class="sub">{a.bot_id}</div>
      </td>
      <td data-testid="analysis-regime">
        <Badge value={a.market_regime} />
        {a.summary && <div class="sub analysis-summary">{a.summary}</div>}
      </td>
      <td data-testid="analysis-anomalies">
        {a.anomalies.length ? (
          <ul class="plain">
            {a.anomalies.map((x, i) => (
              <li key={i} data-testid="analysis-anomaly">
                <Badge value={x.severity} /> {x.description}
              </li>
            ))}
          </ul>
        ) : (
          <span class="sub">none</span>
        )}
      </td>
      <td data-testid="analysis-suggestions">
        {a.suggested_changes.length ? (
          <ul class="plain">
            {a.suggested_changes.map((c, i) => (
              <li key={i} data-testid="analysis-suggestion">
                <code>
                  {c.bot_id}.{c.setting} = {value(c.value)}
                </code>
                <div class="sub">{c.reason}</div>
              </li>
            ))}
          </ul>
        ) : (
          <span class="sub">none</span>
        )}
      </td>
      <td data-testid="analysis-flags">
        {a.risk_flags.length ? (
          <ul class="plain">
            {a.risk_flags.map((f, i) => (
              <li key={i} data-testid="analysis-flag" data-severity={f.severity}>
                <Badge value={f.severity} /> <strong>{f.flag}</strong>
                {f.trip_kill_switch ? <span class="sub"> · asks for the kill switch</span> : null}
                <div class="sub">{f.reason}</div>
              </li>
            ))}
          </ul>
        ) : (
          <span class="sub">none</span>
        )}
      </td>
      <td class="num" data-testid="analysis-tokens">
        {count(a.tokens_used)}
        <div class="sub">
          {a.model} · {count(a.tokens_used_today)} today
        </div>
      </td>
    </tr>
  );
}

export function AnalysesTable({ analyses }: { analyses: Analysis[] }) {
  return (
    <div class="table-wrap">
      <table class="table analyses" data-testid="analyses-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Regime</th>
            <th>Anomalies</th>
            <th>Suggestions</th>
            <th>Risk flags</th>
            <th class="num">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {analyses.map((a) => (
            <AnalysisRow key={a.seq} a={a} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AnalysesPage() {
  const analyses = store.state.analyses;
  return (
    <div class="stack">
      <Card
        testid="analyses"
        title={
          <>
            Market analyses <span class="count">{analyses?.length ?? 0}</span>
          </>
        }
      >
        <p class="sub">
          From the <code>ai_analyst</code> bots, newest first, live as they are published. Advice only: a suggestion is applied only by an operator.
        </p>
        {analyses === null ? (
          <Empty>This server does not publish analyses.</Empty>
        ) : analyses.length ? (
          <AnalysesTable analyses={analyses} />
        ) : (
          <Empty>No analysis yet: an ai_analyst bot publishes one when it starts and then every interval.</Empty>
        )}
      </Card>
    </div>
  );
}
