-- Several servers on one database: who is a member, and which server owns each bot.

-- A server of the cluster: its tags (placement) and until when it counts as alive (epoch ms).
CREATE TABLE cluster_server (
  server_id VARCHAR(100) NOT NULL PRIMARY KEY,
  tags VARCHAR(1000) NOT NULL DEFAULT '',
  started_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- One lease per bot. The fencing token grows by one at every change of owner and never goes
-- back; a write made under a lease names its token and is refused once the lease moved on.
CREATE TABLE cluster_lease (
  bot_id VARCHAR(255) NOT NULL PRIMARY KEY,
  placement VARCHAR(300) NOT NULL DEFAULT 'any',
  owner VARCHAR(100),
  token BIGINT NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL DEFAULT 0,
  desired_state VARCHAR(16),
  status VARCHAR(16),
  status_at BIGINT
);

-- The fencing token each execution was begun under (null: not begun under a lease).
ALTER TABLE journal_execution ADD COLUMN fencing_token BIGINT;
ALTER TABLE journal_execution ADD COLUMN server_id VARCHAR(100);
