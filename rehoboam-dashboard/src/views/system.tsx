import { store } from '../store';
import { bytes, clock, count, duration, isoDurationMs, usd } from '../format';
import { ActionButton, Badge, Card, Empty, Kpi } from './ui';

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
        <Card title="Health problems" testid="health-problems">
          {problems.length ? (
            <ul class="problems">
              {problems.map((p) => (
                <li key={p}>{p}</li>
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
      <Card title="Alerts">
        <AlertsList limit={50} />
      </Card>
    </div>
  );
}
