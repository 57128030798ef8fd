// The server's JSON shapes (snake_case, as in the README and /openapi.json).

export type BotState = 'registered' | 'starting' | 'running' | 'stopping' | 'stopped' | 'backoff' | 'error';

export interface BotHealth {
  status: string;
  message: string;
}

export interface BotStatus {
  bot_id: string;
  name: string;
  status: BotState;
  script_path: string | null;
  process_id: number | null;
  start_time: string | null;
  last_activity: string | null;
  opportunities_found: number;
  total_profit: number | string;
  error_message: string | null;
  type: string;
  restarts: number;
  desired_state: BotState;
  health: BotHealth | null;
  settings?: Record<string, unknown>;
}

export interface Leg {
  chain_id: number;
  dex: string;
  pool_id: string;
  token_in: string;
  token_out: string;
  amount_in: string;
  amount_out: string;
  token_in_symbol?: string | null;
  token_out_symbol?: string | null;
  amount_in_decimal?: string | null;
  amount_out_decimal?: string | null;
}

export interface Opportunity {
  id: string;
  strategy: string;
  source_bot: string;
  start_token: string;
  start_token_symbol?: string | null;
  amount_in: string;
  amount_in_decimal?: string | null;
  amount_out: string;
  profit: string;
  gas_cost: string;
  net_profit: string;
  profit_usd: number | null;
  net_profit_usd: number | null;
  net_profit_decimal?: string | null;
  block_number: number;
  detected_at: string;
  expires_at: string;
  legs: Leg[];
}

export type ExecutionStatus = 'rejected' | 'simulated' | 'submitted' | 'confirmed' | 'reverted' | 'failed';

export interface Execution {
  id: string;
  opportunity_id: string;
  mode: string;
  status: ExecutionStatus;
  reason: string | null;
  tx_hashes: string[];
  gas_used: string | null;
  expected_profit: string;
  realized_profit: string | null;
  realized_profit_usd: number | null;
  started_at: string;
  finished_at: string | null;
  legs: TradeLeg[];
  bot_id?: string | null;
  start_token?: string | null;
  amount_in?: string | null;
  gas_cost_usd?: number | null;
  strategy?: string | null;
  start_token_symbol?: string | null;
  amount_in_decimal?: string | null;
  realized_profit_decimal?: string | null;
}

export interface Whoami {
  key_id: string;
  anonymous: boolean;
  scopes: string[];
}

export interface Health {
  status: string;
  ready: boolean;
  problems?: string[];
  bots?: { bot_id: string; status: string; desired_state: string; health: BotHealth | null }[];
  sources?: { source_id: string; up: boolean; last_update: string | null; message: string }[];
}

export interface MonitoringSnapshot {
  at: string;
  bots_by_state: Record<string, number>;
  bot_health: Record<string, BotHealth>;
  opportunities_per_minute: number;
  total_profit: number | string;
  event_drops: number;
  uptime: string;
  heap_used_bytes: number;
  heap_max_bytes: number;
}

/** A WebSocket message: an event (with seq) or one of the server's own messages. */
export interface StreamMessage {
  type: string;
  seq?: number;
  at?: string;
  bot_id?: string | null;
  [field: string]: unknown;
}

/** GET /api/arbitrage/risk */
export interface RiskState {
  limits: {
    max_trade_input: number | null;
    max_trades_per_minute: number | null;
    daily_loss_limit: number | null;
    min_net_profit: number | null;
    kill_switch: boolean;
  };
  trades_last_minute: number;
  loss_today: number;
  kill_switch: {
    tripped: boolean;
    limit: string | null;
    reason: string | null;
    by: string | null;
    at: string | null;
    reset_by: string | null;
    reset_at: string | null;
  };
  limits_changed_by: string | null;
  limits_changed_at: string | null;
  quote_currency: string;
}

export interface PnlFigures {
  executions: number;
  succeeded: number;
  failed: number;
  wins: number;
  win_rate: number;
  realized_profit_usd: number;
  gas_used: string;
  gas_cost_usd: number;
  quote_currency: string;
}

/** GET /api/arbitrage/pnl */
export interface PnlReport {
  from: string | null;
  to: string | null;
  bucket: 'minute' | 'hour' | 'day';
  totals: PnlFigures;
  by_bot: Record<string, PnlFigures>;
  by_strategy: Record<string, PnlFigures>;
  series: { start: string; end: string; figures: PnlFigures }[];
}

/** GET /api/arbitrage/executions */
export interface ExecutionPage {
  executions: Execution[];
  count: number;
  next_cursor: string | null;
}

/** One alert the server raised (GET /api/arbitrage/alerts), as sent to its log and webhooks. */
export interface ServerAlert {
  alert: string;
  severity: 'critical' | 'warning' | 'info';
  at: string;
  message: string;
  bot_id: string | null;
  source_id: string | null;
  seq: number | null;
}

/** A leg of a journalled execution: the same shape as an opportunity's. */
export type TradeLeg = Leg;

/** A market analysis of an ai_analyst bot: an `analysis` event (and GET /api/arbitrage/analyses). Advice only. */
export interface Analysis {
  seq: number;
  type: 'analysis';
  at: string;
  bot_id: string;
  model: string;
  market_regime: string;
  summary: string | null;
  anomalies: { description: string; severity: string }[];
  suggested_changes: { bot_id: string; setting: string; value: number | string | boolean; reason: string }[];
  risk_flags: { flag: string; severity: string; reason: string; trip_kill_switch: boolean }[];
  tokens_used: number;
  tokens_used_today: number;
}
