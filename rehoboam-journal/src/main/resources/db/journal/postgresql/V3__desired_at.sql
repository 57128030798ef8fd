-- When each bot's desired state was set (by an operator or the bot's schedule), so a restart knows
-- whether a manual start or stop still holds against the schedule. The H2 journal's version 4.
ALTER TABLE journal_bot ADD COLUMN IF NOT EXISTS desired_at VARCHAR(40);
