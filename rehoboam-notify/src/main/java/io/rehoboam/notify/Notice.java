package io.rehoboam.notify;

import io.rehoboam.spi.Checks;
import java.time.Instant;

/**
 * One thing worth telling an operator.
 *
 * @param botId the bot it concerns, or null
 * @param text one line of plain text, already free of secrets
 */
public record Notice(NoticeKind kind, Severity severity, Instant at, String botId, String text) {
  public Notice {
    Checks.notNull(kind, "kind");
    Checks.notNull(severity, "severity");
    Checks.notNull(at, "at");
    text = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
  }

  /** The line a message shows for it: severity marker, kind and text. */
  public String line() {
    String marker =
        switch (severity) {
          case CRITICAL -> "[CRITICAL]";
          case WARNING -> "[WARNING]";
          case INFO -> "[info]";
        };
    return marker + " " + kind.wireName() + ": " + text;
  }
}
