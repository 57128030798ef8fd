import { store } from '../store';
import { bytes, clock, count, dateTime, duration, isoDurationMs, usd } from '../format';
import { ActionButton, Badge, Card, Empty, Kpi } from './ui';

const ALERT_TITLES: Record<string, string> = {
  bot_error: 'Bot in error',
  kill_switch_tripped: 'Kill switch tripped',
  daily_loss_limit: 'Daily loss limit hit',
  source_unhealthy: 'Market source unhealthy',
  source_recovered: 'Market source recovered',
  journal_failing: 'Journal failing',
  journal_recovered: 'Journal recovered',
  service_unhealthy: 'Service unhealthy',
};

/** The alerts the server raised (GET /api/arbitrage/alerts), newest first. */
export function ServerAlerts({ limit = 50 }: { limit?: number }) {
  const alerts = store.state.serverAlerts;
  if (alerts === null) return <AlertsList limit={limit} />;
  if (!alerts.length) return <Empty>The server has raised no alert since it started.</Empty>;
  return (
    <ul class="alerts" data-testid="server-alerts">
      {alerts.slice(0, limit).map((a, i) => (
        <li key={a.at + a.alert + i} class={'alert sev-' + a.severity} data-testid="server-alert" data-alert={a.alert} data-severity={a.severity}>
          <span class="alert-time" title={dateTime(a.at)}>
            {clock(a.at)}
          </span>
          <span class="alert-title">
            <Badge value={a.severity === 'critical' ? 'critical' : a.severity} /> {ALERT_TITLES[a.alert] ?? a.alert}
            <div class="sub">
              {a.alert}
              {a.bot_id ? (
                <>
                  {' · '}
                  <a href={'#/bots/' + encodeURIComponent(a.bot_id)}>{a.bot_id}</a>
                </>
              ) : null}
              {a.source_id ? ' · source ' + a.source_id : ''}
            </div>
          </span>
          <span class="alert-message">{a.message}</span>
        </li>
      ))}
    </ul>
  );
}

/** What this page saw happen (an older server keeps no alerts of its own). */
export function AlertsList({ limit = 20 }: { limit?: number }) {
  const alerts = store.state.alerts.slice(0, limit);
  if (!alerts.length) return <Empty>No alerts since the page opened.</Empty>;
  return (
    <ul class="alerts" data-testid="alerts">
      {alerts.map((a) => (
        <li key={a.id} class={'alert sev-' + a.severity}>
          <span class="alert-time">{clock(a.at)}</span>
          <span class="alert-title">{a.title}</span>
          <span class="alert-message">{a.message}</span>
        </li>
      ))}
    </ul>
  );
}

export function SystemPage() {
  const { health, snapshot, eventRate, monitoring, lastSeq, riskDecisions } = store.state;
  const problems = health?.problems ?? [];
  return (
    <div class="stack">
      <div class="grid kpis">
        <Kpi label="Readiness" value={<Badge value={health ? (health.ready ? 'up' : 'down') : null} />} hint={health?.status} testid="readiness" />
        <Kpi label="Event rate" value={count(Math.round(eventRate)) + ' /s'} hint={'last seq ' + count(lastSeq)} testid="event-rate" />
        <Kpi label="Uptime" value={snapshot ? duration(isoDurationMs(snapshot.uptime)) : '–'} hint={snapshot ? 'at ' + clock(snapshot.at) : 'monitoring snapshot'} />
        <Kpi label="Heap" value={snapshot ? bytes(snapshot.heap_used_bytes) : '–'} hint={snapshot ? 'of ' + bytes(snapshot.heap_max_bytes) : 'monitoring snapshot'} />
      </div>
      <div class="grid two">
        <Card
          title={
            <>
              Health problems <span class="count">{problems.length}</span>
            </>
          }
          class={problems.length ? 'card-alarm' : ''}
          testid="health-problems"
        >
          {problems.length ? (
            <ul class="problems" data-testid="health-problem-list">
              {problems.map((p) => (
                <li key={p} data-testid="health-problem">
                  {p}
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{health ? 'None: every market source is up and every bot that should run runs.' : 'Loading…'}</Empty>
          )}
          <h3>Market sources</h3>
          <table class="table">
            <tbody>
              {(health?.sources ?? []).map((s) => (
                <tr key={s.source_id}>
                  <td>{s.source_id}</td>
                  <td>
                    <Badge value={s.up ? 'up' : 'down'} />
                  </td>
                  <td class="sub">{s.message || (s.last_update ? 'updated ' + clock(s.last_update) : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card
          title="Monitoring snapshot"
          actions={
            <ActionButton scope="control" testid="monitoring-toggle" busy={store.state.busy.has('monitoring')} onClick={() => void store.setMonitoring(!monitoring)}>
              {monitoring ? 'Stop snapshots' : 'Start snapshots'}
            </ActionButton>
          }
        >
          {snapshot ? (
            <dl class="settings">
              <div class="setting">
                <dt>bots by state</dt>
                <dd>
                  {Object.entries(snapshot.bots_by_state)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ')}
                </dd>
              </div>
              <div class="setting">
                <dt>opportunities / min</dt>
                <dd>{count(snapshot.opportunities_per_minute)}</dd>
              </div>
              <div class="setting">
                <dt>total profit</dt>
                <dd>{usd(snapshot.total_profit)}</dd>
              </div>
              <div class="setting">
                <dt>events dropped</dt>
                <dd>{count(snapshot.event_drops)}</dd>
              </div>
            </dl>
          ) : (
            <Empty>Periodic monitoring snapshots are off. Start them to see the service's own view here.</Empty>
          )}
          <h3>Risk rejections since the page opened</h3>
          {riskDecisions.size ? (
            <dl class="settings">
              {[...riskDecisions.entries()].map(([limit, n]) => (
                <div class="setting" key={limit}>
                  <dt>{limit}</dt>
                  <dd>{count(n)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <Empty>None.</Empty>
          )}
        </Card>
      </div>
      <Card
        title={
          <>
            Alerts {store.state.serverAlerts !== null && <span class="count" data-testid="server-alert-count">{store.state.serverAlerts.length}</span>}
          </>
        }
        actions={<span class="sub">raised by the server (also sent to its log and webhooks), newest first</span>}
        testid="alerts-card"
      >
        <ServerAlerts limit={100} />
      </Card>
    </div>
  );
}
