// The page's state: a REST snapshot kept current by the event stream. Views read `store.state` and
// re-render when `subscribe` calls them (at most a few times a second, however fast events come).
import { API, ApiError, get, post } from './api';
import { setApiKey } from './key';
import { EventStream, type ConnectionState } from './stream';
import type {
  Analysis,
  BotStatus,
  Execution,
  ExecutionPage,
  Health,
  PnlReport,
  RiskState,
  MonitoringSnapshot,
  ServerAlert,
  Opportunity,
  StreamMessage,
  Whoami,
} from './types';
import { num } from './format';
import { sizeUsd } from './size';

const MAX_OPPORTUNITIES = 3000;
const MAX_EXECUTIONS = 5000;
const PNL_POINTS = 3600; // one an interval; an hour at one a second
const MINUTES_KEPT = 60;
const NOTIFY_MS = 200;
const ANALYSES_KEPT = 50;

export interface LiveOpportunity {
  opportunity: Opportunity;
  botId: string | null;
  seenAt: number;
  /** Where the page got it: the REST snapshot or the event stream. */
  via: 'rest' | 'stream';
}

export interface Alert {
  id: number;
  at: string;
  severity: 'critical' | 'warning' | 'info';
  title: string;
  message: string;
}

export interface Toast {
  id: number;
  kind: 'ok' | 'error' | 'info';
  text: string;
}

export interface MinuteCounts {
  minute: number; // epoch minute
  executed: number;
  rejected: number;
  failed: number;
}

/** Cumulative realized profit per bot over time (one point per interval). */
export interface PnlSeries {
  times: number[]; // epoch seconds
  total: number[];
  byBot: Map<string, number[]>;
}

export interface State {
  ready: boolean;
  access: Whoami | null;
  needKey: boolean;
  keyError: string | null;
  fatal: string | null;
  connection: ConnectionState;
  bots: BotStatus[];
  opportunities: Map<string, LiveOpportunity>;
  executions: Map<string, Execution>;
  minutes: Map<number, MinuteCounts>;
  pnl: PnlSeries;
  health: Health | null;
  snapshot: MonitoringSnapshot | null;
  monitoring: boolean | null;
  risk: RiskState | null;
  alerts: Alert[];
  /** The latest market analyses of ai_analyst bots, newest first; null on a server without the route. */
  analyses: Analysis[] | null;
  /** The alerts the server raised (GET /api/arbitrage/alerts), newest first; null on a server without the route. */
  serverAlerts: ServerAlert[] | null;
  toasts: Toast[];
  eventRate: number;
  lastSeq: number | null;
  riskDecisions: Map<string, number>; // limit -> rejections seen since the page opened
  routes: Set<string>; // "GET /api/arbitrage/..." from /openapi.json
  busy: Set<string>; // actions in flight, by key ("stop:live_monitor")
  now: number;
}

type Listener = () => void;

export class Store {
  state: State = {
    ready: false,
    access: null,
    needKey: false,
    keyError: null,
    fatal: null,
    connection: { kind: 'connecting', attempt: 0, since: Date.now() },
    bots: [],
    opportunities: new Map(),
    executions: new Map(),
    minutes: new Map(),
    pnl: { times: [], total: [], byBot: new Map() },
    health: null,
    snapshot: null,
    monitoring: null,
    risk: null,
    alerts: [],
    analyses: null,
    serverAlerts: null,
    toasts: [],
    eventRate: 0,
    lastSeq: null,
    riskDecisions: new Map(),
    routes: new Set(),
    busy: new Set(),
    now: Date.now(),
  };

  private listeners = new Set<Listener>();
  private notifyTimer: number | undefined;
  private stream = new EventStream({
    events: (batch) => this.onEvents(batch),
    resync: (reason) => void this.resync(reason),
    state: (connection) => {
      const wasDown = this.state.connection.kind !== 'open';
      if (this.state.connection.kind === 'open') this.lastOpenAt = Date.now();
      this.state.connection = connection;
      if (connection.kind === 'open') this.onOpen();
      if (connection.kind === 'open' && wasDown && this.state.ready) void this.refreshBots();
      this.notify(true);
    },
  });
  private onOpen: () => void = () => {};
  private buffering = true;
  private buffered: StreamMessage[] = [];
  /** Profit per bot from the last REST read, and what execution events added since. */
  private profitAnchor = new Map<string, number>();
  private profitDelta = new Map<string, number>();
  private rateSamples: { t: number; seq: number }[] = [];
  /** When the stream was last known to be open (the start of what a gap may have lost). */
  private lastOpenAt = Date.now();
  private ids = 0;
  private timers: number[] = [];

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-renders soon (or now), never more than once per NOTIFY_MS. */
  notify(now = false): void {
    if (now) {
      window.clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.listeners.forEach((l) => l());
      return;
    }
    if (this.notifyTimer !== undefined) return;
    this.notifyTimer = window.setTimeout(() => {
      this.notifyTimer = undefined;
      this.state.now = Date.now();
      this.listeners.forEach((l) => l());
    }, NOTIFY_MS);
  }

  can(scope: 'read' | 'control' | 'execute'): boolean {
    return !!this.state.access?.scopes.includes(scope);
  }

  /** Why a button for `scope` is off, or null when it is on. */
  whyNot(scope: 'control' | 'execute'): string | null {
    if (this.can(scope)) return null;
    const access = this.state.access;
    if (!access) return 'not signed in';
    if (access.anonymous) {
      return scope === 'execute'
        ? 'this server does not allow execute without an API key (server.allow_unauthenticated_execute)'
        : 'this server does not allow ' + scope + ' without an API key';
    }
    return `needs scope ${scope}; the API key '${access.key_id}' has ${access.scopes.join(', ') || 'no scope'}`;
  }

  has(route: string): boolean {
    return this.state.routes.has(route);
  }

  // ------------------------------------------------------------------ start-up and keys

  async start(): Promise<void> {
    try {
      this.state.access = await get<Whoami>(API + '/whoami');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.state.needKey = true;
        this.state.keyError = null;
        this.notify(true);
        return;
      }
      if (e instanceof ApiError && e.status === 403) {
        this.state.fatal = e.message + ' (the dashboard needs scope read)';
        this.notify(true);
        return;
      }
      this.state.fatal = (e as Error).message;
      this.notify(true);
      return;
    }
    this.state.needKey = false;
    this.buffering = true;
    let openedAt = 0;
    const opened = new Promise<void>((resolve) => (this.onOpen = () => resolve(void (openedAt ||= Date.now()))));
    this.stream.start();
    try {
      const doc = await get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
      for (const [path, methods] of Object.entries(doc.paths ?? {})) {
        for (const method of Object.keys(methods)) this.state.routes.add(method.toUpperCase() + ' ' + path);
      }
    } catch {
      // an older server: only the routes every server has
    }
    // The snapshot at once, so the page shows something; events of the stream go on top of it.
    const readAt = Date.now();
    await this.loadSnapshot();
    this.state.ready = true;
    this.notify(true);
    this.timers.push(window.setInterval(() => this.tick(), 1000));
    this.timers.push(window.setInterval(() => void this.refreshBots(), 3000));
    this.timers.push(window.setInterval(() => void this.refreshHealth(), 5000));
    this.timers.push(window.setInterval(() => void this.refreshAlerts(), 5000));
    this.timers.push(window.setInterval(() => void this.readableExecutions(), 5000));
    this.timers.push(window.setInterval(() => void this.refreshRisk(), 5000));
    // What changed between that read and the stream's hello is in neither: read it again then.
    await opened;
    if (openedAt >= readAt) {
      this.buffering = true;
      await this.loadSnapshot();
    }
  }

  async useKey(key: string): Promise<void> {
    setApiKey(key.trim());
    this.state.keyError = null;
    try {
      await get<Whoami>(API + '/whoami');
    } catch (e) {
      setApiKey(null);
      this.state.keyError = e instanceof ApiError && e.status === 401 ? 'The server did not accept this key.' : (e as Error).message;
      this.notify(true);
      return;
    }
    await this.start();
  }

  forgetKey(): void {
    setApiKey(null);
    location.reload();
  }

  // ------------------------------------------------------------------ REST snapshot

  private async loadSnapshot(since?: number): Promise<void> {
    await Promise.all([
      this.refreshBots(true),
      this.loadOpportunities(),
      this.refreshHealth(),
      this.refreshAlerts(),
      this.refreshRisk(),
      this.loadAnalyses(),
      this.loadExecutions(since),
      this.state.pnl.times.length ? Promise.resolve() : this.loadPnlHistory(),
    ]);
    // Events that came while the snapshot loaded go on top of it, in order.
    this.buffering = false;
    const queued = this.buffered;
    this.buffered = [];
    if (queued.length) this.apply(queued);
  }

  private async resync(reason: string): Promise<void> {
    this.pushAlert('info', 'Re-read the state', reason);
    this.buffering = true;
    this.state.opportunities.clear();
    // Executions since the connection was lost come from the journal; a minute more for clock skew.
    await this.loadSnapshot(this.lastOpenAt - 60000);
    this.notify();
  }

  /** The trade history (the journal): newest first, page after page back to `since` (default: the newest page). */
  private async loadExecutions(since?: number): Promise<void> {
    if (!this.has('GET ' + API + '/executions')) return;
    const from = since !== undefined ? '&from=' + encodeURIComponent(new Date(since).toISOString()) : '';
    let cursor: string | null = null;
    const found: Execution[] = [];
    try {
      for (let page = 0; page < 50; page++) {
        const result: ExecutionPage = await get<ExecutionPage>(
          `${API}/executions?limit=${since !== undefined ? 1000 : 200}${from}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`,
        );
        found.push(...result.executions);
        cursor = result.next_cursor;
        if (!cursor || since === undefined) break;
      }
    } catch {
      return;
    }
    // oldest first, so that the ledger's order stays by time
    for (const x of found.reverse()) this.remember(x);
  }

  /**
   * The journal's readable fields (size in the start token, strategy, the route by symbol) for the
   * trades the stream brought: the newest page, merged into the ledger without changing its
   * statuses or its members.
   */
  private async readableExecutions(): Promise<void> {
    if (!this.has('GET ' + API + '/executions')) return;
    // (the newest page has the last minutes' trades; older ones it would not find)
    const lacking = [...this.state.executions.values()].some((x) => x.amount_in_decimal === undefined && Date.now() - Date.parse(x.started_at) < 5 * 60000);
    if (!lacking) return;
    try {
      const page = await get<ExecutionPage>(`${API}/executions?limit=200`);
      for (const x of page.executions) {
        const known = this.state.executions.get(x.id);
        if (!known || known.amount_in_decimal !== undefined) continue;
        this.state.executions.set(x.id, {
          ...known,
          legs: x.legs,
          strategy: x.strategy,
          start_token_symbol: x.start_token_symbol,
          amount_in_decimal: x.amount_in_decimal,
          realized_profit_decimal: x.realized_profit_decimal,
        });
      }
      this.notify();
    } catch {
      // the connection banner says why
    }
  }

  /** Realized profit per minute over the last hour, as the chart's history before the page opened. */
  private async loadPnlHistory(): Promise<void> {
    if (!this.has('GET ' + API + '/pnl')) return;
    const from = new Date(Date.now() - 60 * 60000).toISOString();
    try {
      const all = await get<PnlReport>(`${API}/pnl?bucket=minute&from=${encodeURIComponent(from)}`);
      const bots = Object.keys(all.by_bot);
      const perBot = await Promise.all(
        bots.map((id) => get<PnlReport>(`${API}/pnl?bucket=minute&from=${encodeURIComponent(from)}&bot_id=${encodeURIComponent(id)}`)),
      );
      const ends = [...new Set(all.series.map((b) => Math.floor(Date.parse(b.end) / 1000)))].sort((a, b) => a - b);
      if (!ends.length || this.state.pnl.times.length) return;
      const anchor = (id: string) => this.profitAnchor.get(id) ?? num(all.by_bot[id]?.realized_profit_usd) ?? 0;
      // cumulative at the end of a minute = the total now less what the later minutes added
      const cumulative = (series: PnlReport['series'], total: number) =>
        ends.map((end) => total - series.filter((b) => Date.parse(b.end) / 1000 > end).reduce((n, b) => n + b.figures.realized_profit_usd, 0));
      const pnl = this.state.pnl;
      // The current minute's bucket ends in the future: its point is now, so that the live points
      // (one a second, each after the last) start at once instead of after the minute ends.
      const now = Math.floor(Date.now() / 1000);
      pnl.times = ends.map((end) => Math.min(end, now));
      const byBot = new Map<string, number[]>();
      bots.forEach((id, i) => byBot.set(id, cumulative(perBot[i].series, anchor(id))));
      pnl.byBot = byBot;
      pnl.total = ends.map((_, i) => bots.reduce((n, id) => n + (byBot.get(id)?.[i] ?? 0), 0));
      for (const b of all.series) {
        const minute = Math.floor(Date.parse(b.start) / 60000);
        if (!this.state.minutes.has(minute)) {
          this.state.minutes.set(minute, { minute, executed: b.figures.succeeded, rejected: 0, failed: b.figures.failed });
        }
      }
    } catch {
      // the chart starts with the page
    }
  }

  /** The latest analyses (GET /api/arbitrage/analyses); the `analysis` events add to them. */
  private async loadAnalyses(): Promise<void> {
    if (!this.has('GET ' + API + '/analyses')) return;
    try {
      const { analyses } = await get<{ analyses: Analysis[] }>(`${API}/analyses?limit=${ANALYSES_KEPT}`);
      const known = this.state.analyses ?? [];
      this.state.analyses = mergeAnalyses(known, analyses);
      this.notify();
    } catch {
      // the connection banner says why
    }
  }

  private onAnalysis(a: Analysis): void {
    this.state.analyses = mergeAnalyses(this.state.analyses ?? [], [a]);
    const flags = a.risk_flags.filter((f) => f.severity === 'high' || f.severity === 'critical');
    if (flags.length) {
      this.pushAlert(
        flags.some((f) => f.severity === 'critical') ? 'critical' : 'warning',
        `Analysis by ${a.bot_id}: ${flags.length} risk flag${flags.length > 1 ? 's' : ''}`,
        flags.map((f) => `${f.flag} (${f.severity}): ${f.reason}`).join('; '),
        a.at,
      );
    }
  }

  async refreshRisk(): Promise<void> {
    if (!this.has('GET ' + API + '/risk')) return;
    try {
      this.state.risk = await get<RiskState>(API + '/risk');
      this.notify();
    } catch {
      // the connection banner says why
    }
  }

  async refreshBots(anchor = true): Promise<void> {
    try {
      const { bots } = await get<{ bots: BotStatus[] }>(API + '/bots');
      this.state.bots = bots;
      if (anchor) {
        for (const bot of bots) {
          this.profitAnchor.set(bot.bot_id, num(bot.total_profit) ?? 0);
          this.profitDelta.set(bot.bot_id, 0);
        }
      }
      this.notify();
    } catch {
      // the connection banner says why
    }
  }

  private async loadOpportunities(): Promise<void> {
    try {
      const { opportunities } = await get<{ opportunities: Opportunity[] }>(API + '/opportunities?limit=500');
      const now = Date.now();
      for (const o of opportunities) {
        this.state.opportunities.set(o.id, { opportunity: o, botId: o.source_bot ?? null, seenAt: now, via: 'rest' });
      }
    } catch {
      // the table fills from the stream
    }
  }

  async refreshAlerts(): Promise<void> {
    if (!this.has('GET ' + API + '/alerts')) return;
    try {
      this.state.serverAlerts = (await get<{ alerts: ServerAlert[] }>(API + '/alerts?limit=200')).alerts;
      this.notify();
    } catch {
      // the connection banner says why
    }
  }

  async refreshHealth(): Promise<void> {
    try {
      // 503 is "not ready", with the problems in the body
      this.state.health = await get<Health>('/health', [503]);
    } catch {
      // the connection banner says why
    }
    this.notify();
  }

  // ------------------------------------------------------------------ events

  private onEvents(batch: StreamMessage[]): void {
    if (this.buffering) {
      this.buffered.push(...batch);
      return;
    }
    this.apply(batch);
  }

  private apply(batch: StreamMessage[]): void {
    let botsChanged = false;
    for (const e of batch) {
      if (typeof e.seq === 'number') this.state.lastSeq = e.seq;
      switch (e.type) {
        case 'bot.status': {
          const bot = this.state.bots.find((b) => b.bot_id === e.bot_id);
          if (bot) {
            bot.status = e.to as BotStatus['status'];
            if (e.to === 'error') bot.error_message = String(e.reason ?? '');
          }
          if (e.to === 'error') this.pushAlert('critical', `Bot ${e.bot_id} entered error`, String(e.reason ?? ''), e.at);
          botsChanged = true;
          break;
        }
        case 'bot.settings': {
          const changed = Array.isArray(e.changed) ? (e.changed as string[]).join(', ') : '';
          this.pushAlert('info', `Settings of ${String(e.bot_id)} changed`, `${changed} by ${String(e.by ?? '')} (${String(e.applied ?? '')})`, e.at);
          botsChanged = true;
          break;
        }
        case 'opportunity.found': {
          const o = e.opportunity as Opportunity;
          this.state.opportunities.set(o.id, { opportunity: o, botId: (e.bot_id as string) ?? null, seenAt: Date.now(), via: 'stream' });
          break;
        }
        case 'opportunity.expired':
          this.state.opportunities.delete(String(e.opportunity_id));
          break;
        case 'execution':
          this.onExecution(e.execution as Execution, (e.bot_id as string) ?? null);
          break;
        case 'risk': {
          const limit = String(e.limit ?? e.decision);
          if (e.decision === 'reject') this.state.riskDecisions.set(limit, (this.state.riskDecisions.get(limit) ?? 0) + 1);
          if (e.decision === 'trip') this.pushAlert('critical', 'Kill switch tripped', String(e.message ?? ''), e.at);
          if (e.decision === 'reset') this.pushAlert('info', 'Kill switch reset', String(e.message ?? ''), e.at);
          if (e.decision === 'trip' || e.decision === 'reset' || e.decision === 'limits_changed') void this.refreshRisk();
          break;
        }
        case 'monitoring.snapshot':
          this.state.snapshot = e as unknown as MonitoringSnapshot;
          this.state.monitoring = true;
          break;
        case 'analysis':
          this.onAnalysis(e as unknown as Analysis);
          break;
        case 'system':
          if (e.kind !== 'audit') this.pushAlert('info', 'System: ' + String(e.kind), String(e.message ?? ''), e.at);
          break;
      }
    }
    if (this.state.opportunities.size > MAX_OPPORTUNITIES) {
      const excess = this.state.opportunities.size - MAX_OPPORTUNITIES;
      let i = 0;
      for (const id of this.state.opportunities.keys()) {
        if (i++ >= excess) break;
        this.state.opportunities.delete(id);
      }
    }
    if (botsChanged) void this.refreshBots(false);
    // what raises a server alert: read the list again soon (the server raises it as it gets the event)
    if (batch.some((e) => (e.type === 'bot.status' && e.to === 'error') || (e.type === 'risk' && e.decision === 'trip'))) {
      window.setTimeout(() => void this.refreshAlerts(), 500);
    }
    this.notify();
  }

  /**
   * Keeps a trade in the ledger (by id; a later state replaces an earlier one). Executions the risk
   * policy refused are not trades: they are counted per minute, not kept.
   */
  private remember(execution: Execution, botId: string | null = null): Execution {
    const known = this.state.executions.get(execution.id);
    const merged = { ...known, ...execution, bot_id: execution.bot_id ?? botId ?? known?.bot_id ?? null };
    if (!isRoute(execution.legs)) {
      // A stream event's legs are the legs' execution states, not the route: keep the route (and
      // the readable fields) the journal gave, or take them from the opportunity it trades.
      const o = this.state.opportunities.get(execution.opportunity_id)?.opportunity;
      merged.legs = isRoute(known?.legs) ? known!.legs : (o?.legs ?? []);
      merged.strategy = execution.strategy ?? known?.strategy ?? o?.strategy ?? null;
      merged.start_token_symbol = execution.start_token_symbol ?? known?.start_token_symbol ?? o?.start_token_symbol ?? null;
    }
    if (execution.status === 'rejected') return merged;
    this.state.executions.delete(execution.id);
    this.state.executions.set(execution.id, merged);
    if (this.state.executions.size > MAX_EXECUTIONS) {
      const oldest = this.state.executions.keys().next().value;
      if (oldest !== undefined) this.state.executions.delete(oldest);
    }
    return merged;
  }

  private onExecution(execution: Execution, botId: string | null): void {
    const known = this.state.executions.get(execution.id);
    const withBot = this.remember(execution, botId);
    // An opportunity that was traded is gone from the server's book.
    if (execution.status !== 'rejected') this.state.opportunities.delete(execution.opportunity_id);
    if (known && known.status === execution.status) return;
    // per minute
    const at = Date.parse(execution.finished_at ?? execution.started_at);
    const minute = Math.floor(at / 60000);
    let counts = this.state.minutes.get(minute);
    if (!counts) {
      counts = { minute, executed: 0, rejected: 0, failed: 0 };
      this.state.minutes.set(minute, counts);
      for (const m of this.state.minutes.keys()) if (m < minute - MINUTES_KEPT) this.state.minutes.delete(m);
    }
    if (executed(execution)) counts.executed++;
    else if (execution.status === 'rejected') counts.rejected++;
    else if (execution.status === 'failed' || execution.status === 'reverted') counts.failed++;
    // realized profit
    const profit = num(execution.realized_profit_usd);
    if (profit !== null && executed(execution) && withBot.bot_id) {
      this.profitDelta.set(withBot.bot_id, (this.profitDelta.get(withBot.bot_id) ?? 0) + profit);
    }
  }

  /** Each bot's realized profit now: the last REST read plus what executions added since. */
  profitOf(botId: string): number {
    return (this.profitAnchor.get(botId) ?? 0) + (this.profitDelta.get(botId) ?? 0);
  }

  totalProfit(): number {
    let total = 0;
    for (const bot of this.state.bots) total += this.profitOf(bot.bot_id);
    return total;
  }

  private tick(): void {
    const now = Date.now();
    this.state.now = now;
    for (const [id, live] of this.state.opportunities) {
      if (Date.parse(live.opportunity.expires_at) <= now) this.state.opportunities.delete(id);
    }
    // event rate from the global seq: every event of the server, not only the ones shown here
    if (this.state.lastSeq !== null) {
      this.rateSamples.push({ t: now, seq: this.state.lastSeq });
      while (this.rateSamples.length > 11) this.rateSamples.shift();
      const first = this.rateSamples[0];
      const last = this.rateSamples[this.rateSamples.length - 1];
      this.state.eventRate = last.t > first.t && last.seq >= first.seq ? ((last.seq - first.seq) * 1000) / (last.t - first.t) : 0;
    }
    // one PnL point a second
    const pnl = this.state.pnl;
    const t = Math.floor(now / 1000);
    if (this.state.bots.length && (pnl.times.length === 0 || pnl.times[pnl.times.length - 1] < t)) {
      pnl.times.push(t);
      pnl.total.push(this.totalProfit());
      const length = pnl.times.length;
      for (const bot of this.state.bots) {
        let series = pnl.byBot.get(bot.bot_id);
        if (!series) {
          series = new Array(length - 1).fill(null);
          pnl.byBot.set(bot.bot_id, series);
        }
        series.push(this.profitOf(bot.bot_id));
      }
      if (pnl.times.length > PNL_POINTS) {
        pnl.times.shift();
        pnl.total.shift();
        for (const s of pnl.byBot.values()) s.shift();
      }
    }
    this.notify();
  }

  // ------------------------------------------------------------------ alerts and toasts

  pushAlert(severity: Alert['severity'], title: string, message: string, at?: unknown): void {
    this.state.alerts.unshift({ id: ++this.ids, at: typeof at === 'string' ? at : new Date().toISOString(), severity, title, message });
    if (this.state.alerts.length > 100) this.state.alerts.length = 100;
    this.notify();
  }

  toast(kind: Toast['kind'], text: string): void {
    const id = ++this.ids;
    this.state.toasts = [...this.state.toasts, { id, kind, text }].slice(-4);
    this.notify(true);
    window.setTimeout(() => {
      this.state.toasts = this.state.toasts.filter((t) => t.id !== id);
      this.notify(true);
    }, kind === 'error' ? 9000 : 5000);
  }

  // ------------------------------------------------------------------ actions

  private async act<T>(
    busyKey: string,
    label: string,
    action: () => Promise<T>,
    done: (result: T) => string,
    failed?: (error: ApiError) => void,
  ): Promise<T | null> {
    if (this.state.busy.has(busyKey)) return null; // a second click before the button re-rendered
    this.state.busy.add(busyKey);
    this.notify(true);
    try {
      const result = await action();
      this.toast('ok', done(result));
      return result;
    } catch (e) {
      const error = e as ApiError;
      failed?.(error);
      this.toast('error', `${label}: ${error.status ? error.status + ' ' : ''}${error.code ? error.code + ': ' : ''}${error.message}`);
      return null;
    } finally {
      this.state.busy.delete(busyKey);
      this.notify(true);
    }
  }

  private replaceBot(status: BotStatus): void {
    const i = this.state.bots.findIndex((b) => b.bot_id === status.bot_id);
    if (i >= 0) this.state.bots[i] = { ...this.state.bots[i], ...status };
  }

  startBot(id: string) {
    return this.act('start:' + id, 'Start ' + id, () => post<BotStatus>(`${API}/bots/${encodeURIComponent(id)}/start`), (s) => {
      this.replaceBot(s);
      return `${id}: ${s.status}`;
    });
  }

  stopBot(id: string) {
    return this.act('stop:' + id, 'Stop ' + id, () => post<BotStatus>(`${API}/bots/${encodeURIComponent(id)}/stop`), (s) => {
      this.replaceBot(s);
      return `${id}: ${s.status}`;
    });
  }

  restartBot(id: string) {
    return this.act(
      'restart:' + id,
      'Restart ' + id,
      async () => {
        await post<BotStatus>(`${API}/bots/${encodeURIComponent(id)}/stop`);
        return post<BotStatus>(`${API}/bots/${encodeURIComponent(id)}/start`);
      },
      (s) => {
        this.replaceBot(s);
        return `${id} restarted: ${s.status}`;
      },
    );
  }

  /**
   * Executes an opportunity; one worth more than the risk policy's max_trade_input is sized down
   * to just under it (the API takes a smaller `amount` in base units), as an operator would.
   */
  execute(opportunityId: string) {
    const o = this.state.opportunities.get(opportunityId)?.opportunity;
    const cap = this.state.risk?.limits.max_trade_input ?? null;
    const size = o ? sizeUsd(o) : null;
    let amount: string | undefined;
    if (o && cap !== null && size !== null && size > cap) {
      // amount_in * (cap * 0.98 / size), in exact integer arithmetic on the base units
      amount = ((BigInt(o.amount_in) * BigInt(Math.floor(cap * 0.98 * 1e6))) / BigInt(Math.ceil(size * 1e6))).toString();
    }
    const body = amount ? { opportunity_id: opportunityId, amount } : { opportunity_id: opportunityId };
    return this.act(
      'execute:' + opportunityId,
      'Execute ' + opportunityId,
      // one key per click: a retried request is never a second execution, a new click is a new try
      () => post<Execution>(API + '/execute', body, { 'Idempotency-Key': `dashboard-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` }),
      (x) => {
        this.onExecution(x, null);
        const profit = num(x.realized_profit_usd);
        return `Executed ${opportunityId}: ${x.status}${profit !== null ? ', realized $' + profit.toFixed(4) : ''}${
          amount ? ` (sized down to the max trade input, $${cap})` : ''
        }${x.reason ? ' (' + x.reason + ')' : ''}`;
      },
      (error) => {
        // gone (expired, or taken by another executor): off the table
        if (error.status === 404 || error.status === 409 || error.status === 410) this.state.opportunities.delete(opportunityId);
      },
    );
  }

  tripKillSwitch(reason: string) {
    return this.act('kill-switch', 'Trip the kill switch', () => post<RiskState>(API + '/risk/kill-switch/trip', { reason }), (r) => {
      this.state.risk = r;
      return 'Kill switch tripped: every execution is refused until it is reset';
    });
  }

  resetKillSwitch(reason: string) {
    return this.act('kill-switch', 'Reset the kill switch', () => post<RiskState>(API + '/risk/kill-switch/reset', { reason }), (r) => {
      this.state.risk = r;
      return 'Kill switch reset: executions resume';
    });
  }

  setMonitoring(on: boolean) {
    return this.act('monitoring', 'Monitoring', () => post<{ monitoring: boolean }>(API + '/monitoring/' + (on ? 'start' : 'stop')), (r) => {
      this.state.monitoring = r.monitoring;
      if (!r.monitoring) this.state.snapshot = null;
      return 'Monitoring ' + (r.monitoring ? 'on' : 'off');
    });
  }
}

/** Analyses by seq, newest first, at most ANALYSES_KEPT. */
function mergeAnalyses(known: Analysis[], more: Analysis[]): Analysis[] {
  const bySeq = new Map<number, Analysis>();
  for (const a of [...known, ...more]) bySeq.set(a.seq, a);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, ANALYSES_KEPT);
}

/** Legs of a route (tokens and amounts), not the per-leg execution states a stream event carries. */
function isRoute(legs: Execution['legs'] | undefined): boolean {
  return !!legs?.length && typeof legs[0].token_in === 'string';
}

/** Done and counted in the bots' profit: confirmed on chain, or simulated (paper trading). */
export function executed(x: Execution): boolean {
  return x.status === 'confirmed' || x.status === 'simulated';
}

export const store = new Store();
