-- The journal as the H2 file has it (schema version 3 there): executions written ahead, their
-- status history, bots (desired state, run-time registration) and operator controls.
-- Amounts are exact decimal strings and times ISO-8601 strings, as in H2.

CREATE TABLE journal_execution (
  execution_id VARCHAR(100) NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL,
  opportunity_id VARCHAR(255) NOT NULL UNIQUE,
  idempotency_key VARCHAR(255) UNIQUE,
  bot_id VARCHAR(255),
  executor_id VARCHAR(255) NOT NULL,
  exec_mode VARCHAR(16) NOT NULL,
  start_token VARCHAR(255) NOT NULL,
  amount_in VARCHAR(100) NOT NULL,
  expected_profit VARCHAR(100) NOT NULL,
  opportunity_json TEXT NOT NULL,
  started_at VARCHAR(40) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason VARCHAR(4000),
  tx_hashes VARCHAR(4000),
  nonce VARCHAR(100),
  tx_hash VARCHAR(100),
  gas_used VARCHAR(100),
  realized_profit VARCHAR(100),
  realized_profit_usd VARCHAR(100),
  finished_at VARCHAR(40),
  updated_at VARCHAR(40) NOT NULL,
  legs TEXT
);

CREATE TABLE journal_execution_status (
  execution_id VARCHAR(100) NOT NULL,
  seq BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  detail VARCHAR(4000),
  at VARCHAR(40) NOT NULL,
  PRIMARY KEY (execution_id, seq)
);

CREATE TABLE journal_bot (
  bot_id VARCHAR(255) NOT NULL PRIMARY KEY,
  desired_state VARCHAR(16),
  registration_json TEXT,
  registered_seq BIGINT
);

CREATE TABLE journal_control (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  val TEXT NOT NULL
);

-- One order for the writes of every server sharing the database.
CREATE SEQUENCE journal_seq;
