package io.rehoboam.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.notify.TelegramCommandSettings.CommandScope;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telegram commands by long polling ({@code getUpdates}): {@code /status} and {@code /pnl} need
 * scope {@code read}, {@code /stop BOT} and {@code /killswitch} need {@code control}. Messages from
 * chats that are not configured are read (so they are not fetched again) and never answered.
 *
 * <p>Each poll runs on the poll executor (it blocks up to {@code poll_timeout}); after a failed one
 * the next is scheduled on the timer after a backoff of 1 s, doubled on each failure up to 60 s and
 * back to none after a success. Nothing sleeps: the timer's clock drives the backoff.
 */
final class TelegramCommands {
  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.notify");
  private static final ObjectMapper JSON = new ObjectMapper();

  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final TelegramCommandSettings settings;
  private final SinkSettings sink;
  private final TelegramTransport replies;
  private final CommandTarget target;
  private final Redactor redactor;
  private final ScheduledExecutorService timer;
  private final Executor polls;
  private final ExecutorService ownPolls;
  private volatile boolean closed;
  private Duration backoff = FIRST_BACKOFF;
  private ScheduledFuture<?> retry;
  private long offset;

  /** Polls on a thread of its own; the backoff is scheduled on {@code timer}. */
  TelegramCommands(
      TelegramCommandSettings settings,
      SinkSettings sink,
      CommandTarget target,
      ScheduledExecutorService timer,
      Redactor redactor) {
    this(settings, sink, target, timer, null, redactor);
  }

  /** Polls on {@code polls} (null: a thread of its own, stopped by {@link #close()}). */
  TelegramCommands(
      TelegramCommandSettings settings,
      SinkSettings sink,
      CommandTarget target,
      ScheduledExecutorService timer,
      Executor polls,
      Redactor redactor) {
    this.settings = settings;
    this.sink = sink;
    this.replies = new TelegramTransport(sink);
    this.target = target;
    this.redactor = redactor;
    this.timer = timer;
    if (polls == null) {
      this.ownPolls =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "rehoboam-telegram-commands");
                t.setDaemon(true);
                return t;
              });
      this.polls = ownPolls;
    } else {
      this.ownPolls = null;
      this.polls = polls;
    }
  }

  /** Starts polling. */
  void start() {
    next();
  }

  /** Hands the next poll to the poll executor. */
  private void next() {
    if (closed) {
      return;
    }
    try {
      polls.execute(this::cycle);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** One poll, then the next at once or, after a failure, after the backoff. */
  private void cycle() {
    if (closed) {
      return;
    }
    boolean ok;
    try {
      ok = pollOnce();
    } catch (RuntimeException e) {
      log.warn("Telegram getUpdates for sink {} failed: {}", sink.id(), redactor.redact("" + e));
      ok = false;
    }
    if (closed) {
      return;
    }
    if (ok) {
      synchronized (this) {
        backoff = FIRST_BACKOFF;
      }
      next();
      return;
    }
    synchronized (this) {
      Duration delay = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
      try {
        retry = timer.schedule(this::next, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // closing
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
    synchronized (this) {
      if (retry != null) {
        retry.cancel(false);
      }
    }
    if (ownPolls != null) {
      ownPolls.shutdownNow(); // interrupts a poll under way
    }
  }
}
