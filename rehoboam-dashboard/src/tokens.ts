// Tokens as a person reads them: symbols where the server knows them (the readable fields of the
// API and the stream), a short address where it does not.
import { chainName, shortAddress } from './format';
import type { Leg } from './types';

export function symbol(address: string, given?: string | null): string {
  return given ?? shortAddress(address);
}

/** The tokens a route passes through: USDT → WETH → USDT (a bridge leg adds no token). */
export function pair(legs: Leg[], startSymbol?: string | null): string {
  if (!legs.length) return '–';
  const tokens = [symbol(legs[0].token_in, legs[0].token_in_symbol ?? startSymbol)];
  for (const leg of legs) {
    if (leg.dex === 'bridge') continue;
    tokens.push(symbol(leg.token_out, leg.token_out_symbol));
  }
  if (tokens[tokens.length - 1] !== tokens[0]) tokens.push(tokens[0]);
  return tokens.join(' → ');
}

/** Each leg's venue with its chain where the route crosses chains: uniswap_v2 (Ethereum) → bridge. */
export function venues(legs: Leg[]): string {
  const crossChain = new Set(legs.map((l) => l.chain_id)).size > 1;
  return legs.map((l) => (l.dex === 'bridge' || !crossChain ? l.dex : `${l.dex} (${chainName(l.chain_id)})`)).join(' → ');
}

/** The chains of a route, each once, in route order. */
export function chains(legs: Leg[]): string {
  return [...new Set(legs.map((l) => chainName(l.chain_id)))].join(' · ');
}

/** A decimal token amount: four significant digits, whole units with separators from 1000 up. */
export function tokenAmount(decimal: string | null | undefined): string {
  if (decimal === null || decimal === undefined) return '–';
  const n = Number(decimal);
  if (!Number.isFinite(n)) return decimal;
  if (n === 0) return '0';
  return Math.abs(n) >= 1000 ? n.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Number(n.toPrecision(4)));
}
