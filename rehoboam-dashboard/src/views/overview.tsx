import { Link } from './nav';
import { store } from '../store';
import { count, usd } from '../format';
import { Card, Kpi } from './ui';
import { BotsTable } from './bots';
import { OpportunitiesTable } from './opportunities';
import { ExecutionsPerMinuteChart, PnlChart } from './charts';

export function OverviewPage() {
  const { bots, opportunities, minutes, now, eventRate } = store.state;
  const running = bots.filter((b) => b.status === 'running').length;
  const minute = minutes.get(Math.floor(now / 60000));
  return (
    <div class="stack">
      <div class="grid kpis">
        <Kpi label="Realized profit" value={usd(store.totalProfit())} hint="all bots, paper and live" testid="kpi-profit" tone="good" />
        <Kpi label="Bots running" value={`${running} / ${bots.length}`} hint={bots.filter((b) => b.status === 'error').length ? 'some in error' : 'all healthy'} testid="kpi-bots" />
        <Kpi label="Live opportunities" value={count(opportunities.size)} hint={count(Math.round(eventRate)) + ' events/s'} testid="kpi-opportunities" />
        <Kpi label="Executed this minute" value={count(minute?.executed ?? 0)} hint={count(minute?.rejected ?? 0) + ' rejected'} testid="kpi-executions" />
      </div>
      <div class="grid two">
        <Card title="Cumulative realized profit" actions={<Link href="#/executions">Executions →</Link>}>
          <PnlChart botIds={bots.map((b) => b.bot_id)} />
        </Card>
        <Card title="Executions per minute">
          <ExecutionsPerMinuteChart height={260} />
        </Card>
      </div>
      <Card title="Bots" actions={<Link href="#/bots">Details →</Link>}>
        <BotsTable compact />
      </Card>
      <Card title="Best live opportunities" actions={<Link href="#/opportunities">All →</Link>}>
        <OpportunitiesTable limit={8} />
      </Card>
    </div>
  );
}
