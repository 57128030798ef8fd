package io.rehoboam.notify;

/** What the Telegram commands act on; each answer is plain text for the chat. */
interface CommandTarget {
  /** {@code /status}: each bot's state, the kill switch. */
  String status();

  /** {@code /pnl}: the last 24 hours' PnL. */
  String pnl();

  /** {@code /stop BOT}: stops a bot. */
  String stop(String botId);

  /** {@code /killswitch}: trips the kill switch. */
  String killSwitch(String by);
}
