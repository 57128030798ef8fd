package io.rehoboam.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.notify.TelegramCommandSettings.CommandScope;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telegram commands by long polling ({@code getUpdates}): {@code /status} and {@code /pnl} need
 * scope {@code read}, {@code /stop BOT} and {@code /killswitch} need {@code control}. Messages from
 * chats that are not configured are read (so they are not fetched again) and never answered.
 */
final class TelegramCommands {
  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.notify");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TelegramCommandSettings settings;
  private final SinkSettings sink;
  private final TelegramTransport replies;
  private final CommandTarget target;
  private final Redactor redactor;
  private volatile boolean closed;
  private volatile Thread poller;
  private long offset;

  TelegramCommands(
      TelegramCommandSettings settings,
      SinkSettings sink,
      CommandTarget target,
      ScheduledExecutorService timer,
      Redactor redactor) {
    this.settings = settings;
    this.sink = sink;
    this.replies = new TelegramTransport(sink);
    this.target = target;
    this.redactor = redactor;
  }

  /** Polls on a thread of its own until closed. */
  void start() {
    Thread t = new Thread(this::loop, "rehoboam-telegram-commands");
    t.setDaemon(true);
    poller = t;
    t.start();
  }

  private void loop() {
    long backoff = 1000;
    while (!closed) {
      boolean ok = pollOnce();
      if (closed) {
        return;
      }
      if (ok) {
        backoff = 1000;
      } else {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(backoff * 2, 60_000);
      }
    }
  }

  /**
   * One {@code getUpdates} (waiting up to {@code poll_timeout}) and the answers to the commands it
   * brought. Returns false when the poll failed.
   */
  boolean pollOnce() {
    ObjectNode body = JSON.createObjectNode();
    body.put("offset", offset);
    body.put("timeout", settings.pollTimeout().toSeconds());
    body.putArray("allowed_updates").add("message");
    HttpPost.Response r =
        HttpPost.send(
            TelegramTransport.method(sink, "getUpdates"),
            body.toString(),
            settings.pollTimeout().plus(sink.timeout()));
    if (!r.ok()) {
      log.warn(
          "Telegram getUpdates for sink {} failed: {}",
          sink.id(),
          redactor.redact(r.failure() != null ? r.failure() : "HTTP " + r.status()));
      return false;
    }
    JsonNode updates;
    try {
      updates = JSON.readTree(r.body()).path("result");
    } catch (java.io.IOException e) {
      log.warn("Telegram getUpdates for sink {} answered no JSON", sink.id());
      return false;
    }
    for (JsonNode u : updates) {
      offset = Math.max(offset, u.path("update_id").asLong() + 1);
      JsonNode message = u.path("message");
      String chat = message.path("chat").path("id").asText("");
      String text = message.path("text").asText("");
      Set<CommandScope> scopes = settings.chats().get(chat);
      if (scopes == null || !text.startsWith("/")) {
        continue; // not ours to answer
      }
      String answer = answer(text.trim(), scopes, chat);
      Transport.Outcome o = replies.sendTo(chat, answer);
      if (!o.delivered()) {
        log.warn("Telegram reply on sink {} failed: {}", sink.id(), redactor.redact(o.failure()));
      }
    }
    return true;
  }

  String answer(String text, Set<CommandScope> scopes, String chat) {
    String[] words = text.split("\\s+");
    // "/status@MyBot" is how groups address one bot.
    String command = words[0].toLowerCase(Locale.ROOT).replaceFirst("@.*$", "");
    try {
      return switch (command) {
        case "/status" -> allowed(scopes, CommandScope.READ, target::status);
        case "/pnl" -> allowed(scopes, CommandScope.READ, target::pnl);
        case "/stop" ->
            words.length < 2
                ? "usage: /stop BOT_ID"
                : allowed(scopes, CommandScope.CONTROL, () -> target.stop(words[1]));
        case "/killswitch" ->
            allowed(scopes, CommandScope.CONTROL, () -> target.killSwitch("telegram:" + chat));
        default -> "unknown command " + command + " (known: /status, /pnl, /stop BOT, /killswitch)";
      };
    } catch (RuntimeException e) {
      return "command failed: " + e.getMessage();
    }
  }

  private static String allowed(
      Set<CommandScope> scopes, CommandScope needed, java.util.function.Supplier<String> run) {
    if (!scopes.contains(needed)) {
      return "not allowed: this chat lacks scope " + needed.wireName();
    }
    return run.get();
  }

  Duration pollTimeout() {
    return settings.pollTimeout();
  }

  void close() {
    closed = true;
    Thread t = poller;
    if (t != null) {
      t.interrupt();
    }
  }
}
