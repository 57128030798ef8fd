package io.rehoboam.notify;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Arrays;
import java.util.Locale;

/** What a notification is about; the configuration's {@code events} lists these wire names. */
public enum NoticeKind {
  /** An execution finished successfully (confirmed on chain, or simulated in paper trading). */
  EXECUTION_CONFIRMED,
  /** An execution failed or reverted. */
  EXECUTION_FAILED,
  /** A bot entered {@code error} (other than a crash loop). */
  BOT_ERROR,
  /** A bot failed too often within its restart window and was left in {@code error}. */
  CRASH_LOOP,
  /** The kill switch was tripped (by hand or by the daily loss limit) or reset. */
  KILL_SWITCH,
  /** A risk limit refused an action. */
  RISK_LIMIT,
  /** The daily PnL summary, sent at {@code daily_summary.at}. */
  DAILY_PNL,
  /** A market analysis published by an {@code ai_analyst} bot. */
  ANALYSIS;

  /** The lower-case name used in the configuration and in messages. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws RehoboamException INVALID_CONFIG naming {@code field} for an unknown name
   */
  public static NoticeKind parse(String name, String field) {
    for (NoticeKind k : values()) {
      if (k.wireName().equals(name)) {
        return k;
      }
    }
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        field
            + ": unknown event kind '"
            + name
            + "' (known: "
            + String.join(", ", Arrays.stream(values()).map(NoticeKind::wireName).toList())
            + ")");
  }
}
