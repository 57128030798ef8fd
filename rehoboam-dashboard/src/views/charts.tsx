// Charts drawn by uPlot on a canvas; each has a legend of its own in the DOM with the latest
// values, so a person (and a test) can read the numbers without hovering.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { store, type MinuteCounts } from '../store';
import { usd, count } from '../format';

export const PALETTE = ['#38bdf8', '#a78bfa', '#fbbf24', '#34d399', '#fb7185', '#f472b6', '#60a5fa'];
const AXIS = { stroke: '#94a3b8', grid: { stroke: 'rgba(148,163,184,0.12)', width: 1 }, ticks: { stroke: 'rgba(148,163,184,0.25)', width: 1 } };

/** The shortest time a time axis spans (seconds): a history of a few seconds still reads in seconds, not in milliseconds. */
export const MIN_TIME_SPAN = 60;

/** Tick spacings of a time axis, in whole seconds only. */
const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Labels of a time axis: HH:MM when its ticks are minutes apart, else HH:MM:SS; never fractions of a second. */
export function timeLabels(splits: number[], incr: number): string[] {
  return splits.map((t) => {
    const d = new Date(t * 1000);
    const hm = two(d.getHours()) + ':' + two(d.getMinutes());
    return incr >= 60 && incr % 60 === 0 ? hm : hm + ':' + two(d.getSeconds());
  });
}

/** A time scale that spans at least MIN_TIME_SPAN seconds, ending at the newest point. */
const timeScale: uPlot.Scale = {
  time: true,
  range: (_u, min, max) => {
    if (min === null || max === null) return [min, max];
    return max - min < MIN_TIME_SPAN ? [max - MIN_TIME_SPAN, max] : [min, max];
  },
};

/** The x axis of a chart over time; the labels it drew are kept in `data-x-ticks` of the chart's element (for people and tests). */
function timeAxis(): uPlot.Axis {
  return {
    ...AXIS,
    incrs: TIME_INCRS,
    values: (u, splits, _axis, _space, incr) => {
      const labels = timeLabels(splits, incr);
      u.root.parentElement?.parentElement?.setAttribute('data-x-ticks', labels.join('|'));
      return labels;
    },
  };
}

function useUPlot(makeOptions: (width: number) => uPlot.Options, data: uPlot.AlignedData, key: string) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(makeOptions(el.clientWidth || 600), data, el);
    plot.current = u;
    const observer = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: u.height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
    // the series set changes the options: a new plot
  }, [key]);
  useEffect(() => {
    plot.current?.setData(data);
  });
  return box;
}

/** Cumulative realized profit (USD): the total and one line per bot. */
export function PnlChart({ botIds, height = 260, only }: { botIds: string[]; height?: number; only?: string }) {
  const pnl = store.state.pnl;
  const ids = only ? [only] : botIds;
  const series = ids.map((id) => pnl.byBot.get(id) ?? []);
  const data: uPlot.AlignedData = only ? [pnl.times, series[0] ?? []] : [pnl.times, pnl.total, ...series];
  const box = useUPlot(
    (width) => ({
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: timeScale },
      axes: [timeAxis(), { ...AXIS, size: 70, values: (_u, ticks) => ticks.map((t) => '$' + compactNumber(t)) }],
      series: [
        {},
        ...(only
          ? []
          : [{ label: 'Total', stroke: '#f8fafc', width: 2.5, fill: 'rgba(56,189,248,0.06)', points: { show: false }, value: (_u: uPlot, v: number) => usd(v) }]),
        ...ids.map((id, i) => ({ label: id, stroke: PALETTE[i % PALETTE.length], width: 1.5, points: { show: false }, value: (_u: uPlot, v: number) => usd(v) })),
      ],
    }),
    data,
    (only ?? '') + '|' + ids.join(','),
  );
  const last = (values: (number | null)[]) => (values.length ? values[values.length - 1] : null);
  const entries = only
    ? [{ label: only, color: PALETTE[0], value: last(series[0] ?? []) }]
    : [
        { label: 'Total', color: '#f8fafc', value: last(pnl.total) },
        ...ids.map((id, i) => ({ label: id, color: PALETTE[i % PALETTE.length], value: last(series[i]) })),
      ];
  return (
    <div class="chart" data-testid="pnl-chart" data-last={entries[0]?.value ?? ''}>
      <div ref={box} class="chart-canvas" />
      <ul class="legend">
        {entries.map((e) => (
          <li key={e.label} data-testid={'pnl-legend-' + e.label}>
            <span class="swatch" style={{ background: e.color }} />
            <span class="legend-label">{e.label}</span>
            <span class="legend-value" data-value={e.value ?? ''}>
              {usd(e.value)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Executions per minute: executed as bars, rejected and failed as lines on their own axis. */
export function ExecutionsPerMinuteChart({ height = 200 }: { height?: number }) {
  const now = Math.floor(store.state.now / 60000);
  const minutes: MinuteCounts[] = [];
  for (let m = now - 29; m <= now; m++) minutes.push(store.state.minutes.get(m) ?? { minute: m, executed: 0, rejected: 0, failed: 0 });
  const data: uPlot.AlignedData = [
    minutes.map((m) => m.minute * 60),
    minutes.map((m) => m.executed),
    minutes.map((m) => m.failed),
    minutes.map((m) => m.rejected),
  ];
  const bars = uPlot.paths.bars!({ size: [0.6, 24] });
  const box = useUPlot(
    (width) => ({
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, r: {} },
      axes: [
        { ...AXIS },
        { ...AXIS, size: 50 },
        { ...AXIS, scale: 'r', side: 1, size: 60, grid: { show: false } },
      ],
      series: [
        {},
        { label: 'executed', stroke: '#34d399', fill: 'rgba(52,211,153,0.55)', paths: bars, points: { show: false } },
        { label: 'failed', stroke: '#fb7185', width: 1.5, points: { show: false } },
        { label: 'rejected', stroke: '#94a3b8', width: 1, dash: [4, 4], scale: 'r', points: { show: false } },
      ],
    }),
    data,
    'epm',
  );
  const current = minutes[minutes.length - 1];
  return (
    <div class="chart" data-testid="executions-chart">
      <div ref={box} class="chart-canvas" />
      <ul class="legend">
        <li>
          <span class="swatch" style={{ background: '#34d399' }} />
          <span class="legend-label">executed this minute</span>
          <span class="legend-value">{count(current.executed)}</span>
        </li>
        <li>
          <span class="swatch" style={{ background: '#fb7185' }} />
          <span class="legend-label">failed</span>
          <span class="legend-value">{count(current.failed)}</span>
        </li>
        <li>
          <span class="swatch" style={{ background: '#94a3b8' }} />
          <span class="legend-label">rejected (right axis)</span>
          <span class="legend-value">{count(current.rejected)}</span>
        </li>
      </ul>
    </div>
  );
}

function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  if (a >= 1) return v.toFixed(0);
  return v.toFixed(2);
}

/** One cumulative series (USD) over time, e.g. a bot's realized profit from the pnl route. */
export function CumulativeChart({ times, values, label, color = PALETTE[0], height = 220, testid }: { times: number[]; values: number[]; label: string; color?: string; height?: number; testid?: string }) {
  const data: uPlot.AlignedData = [times, values];
  const box = useUPlot(
    (width) => ({
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: timeScale },
      axes: [timeAxis(), { ...AXIS, size: 70, values: (_u, ticks) => ticks.map((t) => '$' + compactNumber(t)) }],
      series: [{}, { label, stroke: color, width: 2, fill: 'rgba(56,189,248,0.08)', points: { show: times.length < 3 }, value: (_u: uPlot, v: number) => usd(v) }],
    }),
    data,
    label,
  );
  const last = values.length ? values[values.length - 1] : null;
  return (
    <div class="chart" data-testid={testid} data-last={last ?? ''} data-points={values.length}>
      <div ref={box} class="chart-canvas" />
      <ul class="legend">
        <li>
          <span class="swatch" style={{ background: color }} />
          <span class="legend-label">{label}</span>
          <span class="legend-value" data-value={last ?? ''}>
            {usd(last)}
          </span>
        </li>
      </ul>
    </div>
  );
}
