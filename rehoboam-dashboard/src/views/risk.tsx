import { store } from '../store';
import { count, dateTime, usd } from '../format';
import type { RiskState } from '../types';
import { ActionButton, Badge, Card, Empty, Kpi } from './ui';

function Meter({ used, limit, testid }: { used: number; limit: number | null; testid?: string }) {
  if (limit === null || limit <= 0) return <div class="sub">no limit</div>;
  const share = Math.min(1, Math.max(0, used / limit));
  return (
    <div class={'meter' + (share >= 1 ? ' over' : '')} data-testid={testid} title={`${Math.round(share * 100)} %`}>
      <span class={'meter-fill w' + Math.round(share * 20) * 5} />
    </div>
  );
}

/** The kill switch: a big button, with a confirmation, and who tripped it when. */
export function KillSwitch({ risk }: { risk: RiskState }) {
  const tripped = risk.kill_switch.tripped;
  const busy = store.state.busy.has('kill-switch');
  return (
    <div class="kill" data-testid="kill-switch" data-tripped={tripped ? 'true' : 'false'}>
      <div class={'kill-state ' + (tripped ? 'bad-text' : 'good-text')}>{tripped ? 'Kill switch TRIPPED: no execution goes out' : 'Kill switch armed: trading allowed'}</div>
      {tripped && (
        <div class="sub">
          by {risk.kill_switch.by ?? 'unknown'} at {dateTime(risk.kill_switch.at)}
          {risk.kill_switch.reason ? ': ' + risk.kill_switch.reason : ''}
        </div>
      )}
      {!tripped && risk.kill_switch.reset_at && (
        <div class="sub">
          last reset by {risk.kill_switch.reset_by ?? 'unknown'} at {dateTime(risk.kill_switch.reset_at)}
        </div>
      )}
      {tripped ? (
        <ActionButton
          scope="control"
          kind="primary"
          testid="kill-switch-reset"
          busy={busy}
          onClick={() => {
            if (window.confirm('Reset the kill switch? The bots start executing again.')) void store.resetKillSwitch('reset from the dashboard');
          }}
        >
          <span class="btn-huge-text">Reset the kill switch</span>
        </ActionButton>
      ) : (
        <ActionButton
          scope="control"
          kind="danger"
          testid="kill-switch-trip"
          busy={busy}
          onClick={() => {
            if (window.confirm('Trip the kill switch? Every execution is refused until it is reset.')) void store.tripKillSwitch('tripped from the dashboard');
          }}
        >
          <span class="btn-huge-text">Trip the kill switch</span>
        </ActionButton>
      )}
    </div>
  );
}

export function RiskPage() {
  const { riskDecisions, risk } = store.state;
  return (
    <div class="stack">
      {risk ? (
        <>
          <div class="grid two">
            <Card title="Kill switch" class={risk.kill_switch.tripped ? 'card-alarm' : ''}>
              <KillSwitch risk={risk} />
            </Card>
            <Card title="Usage" testid="risk-usage">
              <div class="grid kpis">
                <Kpi label="Trades last minute" value={`${count(risk.trades_last_minute)} / ${risk.limits.max_trades_per_minute ?? '∞'}`} hint={<Meter used={risk.trades_last_minute} limit={risk.limits.max_trades_per_minute} />} />
                <Kpi
                  label="Loss today"
                  value={`${usd(risk.loss_today)} / ${risk.limits.daily_loss_limit === null ? '∞' : usd(risk.limits.daily_loss_limit)}`}
                  hint={<Meter used={risk.loss_today} limit={risk.limits.daily_loss_limit} testid="loss-meter" />}
                  testid="loss-today"
                />
              </div>
            </Card>
          </div>
          <Card title="Limits" testid="risk-limits" actions={risk.limits_changed_at ? <span class="sub">changed by {risk.limits_changed_by} at {dateTime(risk.limits_changed_at)}</span> : null}>
            <dl class="settings">
              <div class="setting">
                <dt>max trade input</dt>
                <dd>{risk.limits.max_trade_input === null ? 'off' : usd(risk.limits.max_trade_input)}</dd>
              </div>
              <div class="setting">
                <dt>max trades per minute</dt>
                <dd>{risk.limits.max_trades_per_minute ?? 'off'}</dd>
              </div>
              <div class="setting">
                <dt>daily loss limit</dt>
                <dd>{risk.limits.daily_loss_limit === null ? 'off' : usd(risk.limits.daily_loss_limit)}</dd>
              </div>
              <div class="setting">
                <dt>min net profit</dt>
                <dd>{risk.limits.min_net_profit === null ? 'off' : usd(risk.limits.min_net_profit)}</dd>
              </div>
              <div class="setting">
                <dt>kill switch</dt>
                <dd>
                  <Badge value={risk.kill_switch.tripped ? 'tripped' : 'armed'} />
                </dd>
              </div>
            </dl>
          </Card>
        </>
      ) : (
        <Card title="Risk">
          <Empty>This server has no risk routes (GET /api/arbitrage/risk).</Empty>
        </Card>
      )}
      <Card title="Risk rejections since the page opened" testid="risk-rejections">
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
          <Empty>No trade was rejected by a risk limit since the page opened.</Empty>
        )}
      </Card>
    </div>
  );
}
