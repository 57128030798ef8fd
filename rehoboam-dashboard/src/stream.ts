// The event stream: one WebSocket to /ws/arbitrage that reconnects by itself and resumes where it
// left off (resume_from = the last seq seen), so no event is missed across a short drop. When the
// server cannot replay (its replay buffer moved on, or it restarted), it says so with a gap and the
// caller re-reads the state over REST.
import { apiKey, webSocketProtocols } from './key';
import type { StreamMessage } from './types';

export const TOPICS = ['bots', 'opportunities', 'executions', 'risk', 'system', 'monitoring', 'analysis'];

export type ConnectionState =
  | { kind: 'connecting'; attempt: number; since: number }
  | { kind: 'open'; since: number }
  | { kind: 'closed'; attempt: number; since: number; reason: string };

export interface StreamHandler {
  /** Events in arrival order, in batches. */
  events(batch: StreamMessage[]): void;
  /** The server could not replay what this client missed: re-read the state. */
  resync(reason: string): void;
  /** Connected, reconnecting, ... */
  state(state: ConnectionState): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 3000];

export class EventStream {
  private socket: WebSocket | null = null;
  private lastSeq: number | null = null;
  private attempt = 0;
  private downSince = Date.now();
  private watchdog: number | undefined;
  private retry: number | undefined;
  private heartbeatMs = 15000;
  private lastMessageAt = 0;
  private pending: StreamMessage[] = [];
  private flushScheduled = false;
  private stopped = false;

  constructor(private readonly handler: StreamHandler) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retry);
    window.clearInterval(this.watchdog);
    this.socket?.close(1000, 'page closed');
    this.socket = null;
  }

  /** Drops the connection and connects again at once (a new key, say). */
  restart(): void {
    this.stop();
    this.lastSeq = null;
    this.start();
  }

  private url(): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const base = new URL('ws/arbitrage', location.href);
    let url = scheme + '//' + base.host + base.pathname + '?topics=' + TOPICS.join(',');
    if (this.lastSeq !== null) url += '&resume_from=' + this.lastSeq;
    return url;
  }

  private connect(): void {
    this.attempt++;
    this.handler.state({ kind: 'connecting', attempt: this.attempt, since: this.downSince });
    const resumeFrom = this.lastSeq;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url(), webSocketProtocols(apiKey()));
    } catch (e) {
      this.scheduleReconnect(String(e));
      return;
    }
    this.socket = socket;
    socket.onmessage = (m) => {
      if (this.socket !== socket) return;
      this.lastMessageAt = Date.now();
      let message: StreamMessage;
      try {
        message = JSON.parse(m.data as string) as StreamMessage;
      } catch {
        return;
      }
      this.onMessage(message, resumeFrom);
    };
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.flush();
      this.downSince = Date.now();
      this.scheduleReconnect(e.reason || 'connection closed (' + e.code + ')');
    };
    socket.onerror = () => {
      // onclose follows with the details
    };
  }

  private onMessage(message: StreamMessage, resumeFrom: number | null): void {
    switch (message.type) {
      case 'hello': {
        const last = Number(message.last_seq ?? 0);
        this.heartbeatMs = Number(message.heartbeat_interval_ms ?? 15000);
        this.attempt = 0;
        this.handler.state({ kind: 'open', since: Date.now() });
        this.armWatchdog();
        if (resumeFrom !== null && last < resumeFrom) {
          // A new server process (its seq starts again): the gap message that follows says so.
          this.lastSeq = last;
        } else if (resumeFrom === null) {
          this.lastSeq = last;
        }
        return;
      }
      case 'gap':
        this.flush();
        this.handler.resync(String(message.message ?? 'events were missed'));
        return;
      case 'heartbeat':
      case 'pong':
      case 'result':
      case 'error':
        return;
      default:
        if (typeof message.seq === 'number') this.lastSeq = message.seq;
        this.pending.push(message);
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          window.setTimeout(() => this.flush(), 100);
        }
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.handler.events(batch);
  }

  /** A connection that stays silent past two heartbeats is dead even if no close arrived. */
  private armWatchdog(): void {
    window.clearInterval(this.watchdog);
    this.lastMessageAt = Date.now();
    this.watchdog = window.setInterval(() => {
      if (Date.now() - this.lastMessageAt > 2.5 * this.heartbeatMs && this.socket) {
        const dead = this.socket;
        this.socket = null;
        dead.close();
        this.downSince = Date.now();
        this.scheduleReconnect('no heartbeat from the server');
      }
    }, 1000);
  }

  private scheduleReconnect(reason: string): void {
    window.clearInterval(this.watchdog);
    if (this.stopped) return;
    this.handler.state({ kind: 'closed', attempt: this.attempt, since: this.downSince, reason });
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    window.clearTimeout(this.retry);
    this.retry = window.setTimeout(() => this.connect(), delay);
  }
}
