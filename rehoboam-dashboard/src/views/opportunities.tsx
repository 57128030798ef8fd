import { useState } from 'preact/hooks';
import { store, type LiveOpportunity } from '../store';
import type { Leg, Opportunity } from '../types';
import { chainName, duration, num, shortAddress, usd, usdCompact } from '../format';
import { ActionButton, Card, Empty } from './ui';
import { sizeUsd } from '../size';

function symbol(address: string, given?: string | null): string {
  return given ?? shortAddress(address);
}

/** The route's tokens: WETH → USDC → WETH, or short addresses where symbols are unknown. */
export function route(o: Opportunity): string {
  const tokens = [symbol(o.legs[0].token_in, o.legs[0].token_in_symbol ?? o.start_token_symbol)];
  for (const leg of o.legs) {
    if (leg.dex === 'bridge') continue;
    tokens.push(symbol(leg.token_out, leg.token_out_symbol));
  }
  if (tokens[tokens.length - 1] !== tokens[0]) tokens.push(tokens[0]);
  return tokens.join(' → ');
}

function venues(legs: Leg[]): string {
  return legs.map((l) => (l.dex === 'bridge' ? 'bridge' : l.dex)).join(' → ');
}

function chains(legs: Leg[]): string {
  return [...new Set(legs.map((l) => chainName(l.chain_id)))].join(' · ');
}

/** A decimal token amount, four significant digits after the point at most. */
function tokenAmount(decimal: string): string {
  const n = Number(decimal);
  if (!Number.isFinite(n)) return decimal;
  return n >= 1000 ? n.toLocaleString('en-US', { maximumFractionDigits: 0 }) : n.toPrecision(4).replace(/\.?0+$/, '');
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
            <th>Route</th>
            <th>Venues</th>
            <th>Chains</th>
            <th class="num">Size</th>
            <th class="num">Net profit</th>
            <th class="num">Age</th>
            <th class="num">Expires in</th>
            <th class="actions-col" />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ opportunity: o }) => (
            <tr key={o.id} data-testid="opportunity-row" data-id={o.id}>
              <td>
                <span class={'chip strategy-' + o.strategy}>{o.strategy}</span>
                <div class="sub">{o.source_bot}</div>
              </td>
              <td class="mono route" title={o.legs.map((l) => l.pool_id).join('\n')}>
                {route(o)}
              </td>
              <td class="sub">{venues(o.legs)}</td>
              <td class="sub">{chains(o.legs)}</td>
              <td class="num">
                {usdCompact(sizeUsd(o))}
                {o.amount_in_decimal && o.start_token_symbol && (
                  <div class="sub">
                    {tokenAmount(o.amount_in_decimal)} {o.start_token_symbol}
                  </div>
                )}
              </td>
              <td class={'num strong ' + ((num(o.net_profit_usd) ?? 0) > 0 ? 'good-text' : 'bad-text')}>{usd(o.net_profit_usd)}</td>
              <td class="num sub">{duration(now - Date.parse(o.detected_at))}</td>
              <td class="num sub">{duration(Date.parse(o.expires_at) - now)}</td>
              <td class="actions-col">
                <ActionButton scope="execute" kind="primary" testid="execute" busy={store.state.busy.has('execute:' + o.id)} onClick={() => void store.execute(o.id)}>
                  Execute
                </ActionButton>
              </td>
            </tr>
          ))}
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
