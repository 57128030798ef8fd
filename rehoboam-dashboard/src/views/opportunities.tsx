import { useState } from 'preact/hooks';
import { store, type LiveOpportunity } from '../store';
import type { Opportunity } from '../types';
import { duration, num, usd, usdCompact } from '../format';
import { ActionButton, Card, Empty } from './ui';
import { sizeUsd } from '../size';
import { chains, pair, tokenAmount, venues } from '../tokens';

/** The route's tokens by symbol: WETH → USDC → WETH (short addresses where symbols are unknown). */
export function route(o: Opportunity): string {
  return pair(o.legs, o.start_token_symbol);
}

type Sort = 'profit' | 'newest';

export function OpportunitiesTable({ limit = 50, strategy = '', sort = 'profit' }: { limit?: number; strategy?: string; sort?: Sort }) {
  const now = store.state.now;
  let rows: LiveOpportunity[] = [...store.state.opportunities.values()];
  if (strategy) rows = rows.filter((r) => r.opportunity.strategy === strategy);
  rows.sort((a, b) =>
    sort === 'newest'
      ? Date.parse(b.opportunity.detected_at) - Date.parse(a.opportunity.detected_at)
      : (num(b.opportunity.net_profit_usd) ?? 0) - (num(a.opportunity.net_profit_usd) ?? 0),
  );
  rows = rows.slice(0, limit);
  if (!rows.length) return <Empty>No live opportunities right now: they appear here as the bots find them.</Empty>;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="opportunities-table">
        <thead>
          <tr>
            <th>Strategy</th>
            <th>Pair</th>
            <th>Venues</th>
            <th>Chains</th>
            <th class="num">Size</th>
            <th class="num">Net profit (USD)</th>
            <th class="num">Age</th>
            <th class="num">Expires in</th>
            <th class="actions-col" />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ opportunity: o, via }) => {
            const left = Date.parse(o.expires_at) - now;
            return (
              <tr key={o.id} data-testid="opportunity-row" data-id={o.id} data-via={via}>
                <td>
                  <span class={'chip strategy-' + o.strategy}>{o.strategy}</span>
                  <div class="sub">{o.source_bot}</div>
                </td>
                <td class="route" data-testid="opp-pair" title={o.legs.map((l) => `${l.token_in} → ${l.token_out} (${l.pool_id})`).join('\n')}>
                  <span class="strong">{route(o)}</span>
                </td>
                <td class="sub" data-testid="opp-venues">
                  {venues(o.legs)}
                </td>
                <td class="sub" data-testid="opp-chains">
                  {chains(o.legs)}
                </td>
                <td class="num" data-testid="opp-size">
                  {o.amount_in_decimal && o.start_token_symbol ? (
                    <>
                      <span class="strong">
                        {tokenAmount(o.amount_in_decimal)} {o.start_token_symbol}
                      </span>
                      <div class="sub">{usdCompact(sizeUsd(o))}</div>
                    </>
                  ) : (
                    usdCompact(sizeUsd(o))
                  )}
                </td>
                <td class={'num strong ' + ((num(o.net_profit_usd) ?? 0) > 0 ? 'good-text' : 'bad-text')} data-testid="opp-net" data-value={o.net_profit_usd ?? ''}>
                  {usd(o.net_profit_usd)}
                </td>
                <td class="num sub" data-testid="opp-age">
                  {duration(Math.max(0, now - Date.parse(o.detected_at)))}
                </td>
                <td class={'num ' + (left < 5000 ? 'warn-text' : 'sub')} data-testid="opp-expiry" title={'expires at ' + o.expires_at}>
                  {left > 0 ? duration(left) : 'expired'}
                </td>
                <td class="actions-col">
                  <ActionButton scope="execute" kind="primary" testid="execute" busy={store.state.busy.has('execute:' + o.id)} onClick={() => void store.execute(o.id)}>
                    Execute
                  </ActionButton>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function OpportunitiesPage() {
  const [strategy, setStrategy] = useState('');
  const [sort, setSort] = useState<Sort>('profit');
  const strategies = [...new Set([...store.state.opportunities.values()].map((r) => r.opportunity.strategy))].sort();
  return (
    <div class="stack">
      <Card
        title={
          <>
            Live opportunities <span class="count" data-testid="opportunity-count">{store.state.opportunities.size}</span>
          </>
        }
        actions={
          <>
            <label class="field">
              Strategy
              <select value={strategy} onChange={(e) => setStrategy((e.target as HTMLSelectElement).value)} data-testid="strategy-filter">
                <option value="">all</option>
                {strategies.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              Order
              <select value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as Sort)} data-testid="sort">
                <option value="profit">best first</option>
                <option value="newest">newest first</option>
              </select>
            </label>
          </>
        }
      >
        <OpportunitiesTable strategy={strategy} sort={sort} limit={100} />
      </Card>
    </div>
  );
}
