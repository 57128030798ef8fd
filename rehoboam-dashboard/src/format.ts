// Display helpers: money, times, addresses, chains.

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function num(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** $1,234.56; small amounts with four decimals so that cents of a cent still show. */
export function usd(value: number | string | null | undefined): string {
  const n = num(value);
  if (n === null) return '–';
  return Math.abs(n) > 0 && Math.abs(n) < 1 ? usd4.format(n) : usd2.format(n);
}

export function usdCompact(value: number | null): string {
  if (value === null) return '–';
  return Math.abs(value) >= 100000 ? '$' + compact.format(value) : usd(value);
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : integer.format(value);
}

/** 0x1234…abcd */
export function shortAddress(address: string | null | undefined): string {
  if (!address) return '–';
  return address.length > 14 ? address.slice(0, 6) + '…' + address.slice(-4) : address;
}

/** 3 s, 4 min 10 s, 2 h 5 min, 3 d 4 h */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const negative = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
  return negative ? '-' + text : text;
}

export function since(iso: string | null | undefined, now: number): string {
  if (!iso) return '–';
  return duration(now - Date.parse(iso));
}

export function clock(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '–';
  const d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
  return d.toLocaleTimeString('en-GB', { hour12: false });
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleDateString('en-CA') + ' ' + d.toLocaleTimeString('en-GB', { hour12: false });
}

const CHAINS: Record<number, string> = {
  1: 'Ethereum',
  10: 'Optimism',
  56: 'BNB Chain',
  137: 'Polygon',
  8453: 'Base',
  42161: 'Arbitrum',
  43114: 'Avalanche',
  31337: 'Local',
};

export function chainName(id: number): string {
  return CHAINS[id] ?? 'chain ' + id;
}

/** ISO-8601 duration (PT1H2M3.5S) in milliseconds. */
export function isoDurationMs(text: string | null | undefined): number {
  if (!text) return NaN;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text);
  if (!m) return NaN;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60000 + Number(m[4] ?? 0) * 1000;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return v.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
}
