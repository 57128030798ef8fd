import { store } from '../store';
import { count } from '../format';
import { Card, Empty } from './ui';

export function RiskPage() {
  const { riskDecisions } = store.state;
  return (
    <div class="stack">
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
