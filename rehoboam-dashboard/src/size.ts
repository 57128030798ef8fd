import { num } from './format';
import type { Opportunity } from './types';

/** The input's value in USD: profit_usd prices the start token, and amount_in is in the same units. */
export function sizeUsd(o: Opportunity): number | null {
  const profitUsd = num(o.profit_usd);
  const profit = Number(o.profit);
  const amountIn = Number(o.amount_in);
  if (profitUsd === null || !profit || !Number.isFinite(amountIn)) return null;
  return (amountIn * profitUsd) / profit;
}
