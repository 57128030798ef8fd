package io.rehoboam.notify;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.history.PnlQuery;
import io.rehoboam.core.history.PnlReport;
import io.rehoboam.spi.event.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications people read ({@code server.notifications}): subscribes to a service's events,
 * turns the interesting ones into notices ({@link NoticeTranslator}), adds the daily PnL summary,
 * and hands each notice to every sink whose filters accept it. Each sink batches, rate limits and
 * retries on its own ({@link SinkChannel}); a failing sink never holds up the service or the other
 * sinks.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.notify");

  private final List<SinkChannel> channels;
  private final ScheduledExecutorService timer;
  private final boolean ownTimer;
  private final DailySummary summary;
  private final TelegramCommands commands;
  private EventSubscription subscription;

  private Notifier(
      NotificationSettings settings,
      Clock clock,
      ScheduledExecutorService timer,
      boolean ownTimer,
      Function<PnlQuery, PnlReport> pnl,
      CommandTarget commandTarget) {
    this.timer = timer;
    this.ownTimer = ownTimer;
    List<String> secrets = new ArrayList<>();
    settings.sinks().forEach(s -> secrets.addAll(s.secrets()));
    Redactor redactor = new Redactor(secrets);
    this.channels = new ArrayList<>();
    for (SinkSettings sink : settings.sinks()) {
      Transport transport =
          sink.type() == SinkSettings.Type.TELEGRAM
              ? new TelegramTransport(sink)
              : new WebhookTransport(sink);
      channels.add(new SinkChannel(sink, transport, timer, clock, redactor));
    }
    this.summary =
        settings.summaryAt() == null
            ? null
            : new DailySummary(
                settings.summaryAt(), settings.summaryZone(), clock, timer, pnl, this::publish);
    TelegramCommandSettings cs = settings.commands();
    this.commands =
        cs == null || commandTarget == null
            ? null
            : new TelegramCommands(
                cs,
                settings.sinks().stream()
                    .filter(s -> s.id().equals(cs.sink()))
                    .findFirst()
                    .orElseThrow(),
                commandTarget,
                timer,
                redactor);
  }

  /**
   * Starts notifications for {@code service}: its events, its daily PnL, and (when configured)
   * Telegram commands acting on it. Runs on a thread of its own.
   */
  public static Notifier start(
      ArbitrageService service, NotificationSettings settings, Clock clock) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rehoboam-notify");
              t.setDaemon(true);
              return t;
            });
    return start(service, settings, clock, timer, true);
  }

  /** As {@link #start(ArbitrageService, NotificationSettings, Clock)} on the given timer. */
  public static Notifier start(
      ArbitrageService service,
      NotificationSettings settings,
      Clock clock,
      ScheduledExecutorService timer) {
    return start(service, settings, clock, timer, false);
  }

  private static Notifier start(
      ArbitrageService service,
      NotificationSettings settings,
      Clock clock,
      ScheduledExecutorService timer,
      boolean ownTimer) {
    Notifier n =
        new Notifier(
            settings,
            clock,
            timer,
            ownTimer,
            service::pnl,
            new ServiceCommandTarget(service, clock));
    n.subscription = service.subscribe(n::onEvent, e -> NoticeTranslator.translate(e).isPresent());
    n.begin();
    log.info("Notifications to {}", settings.sinks());
    return n;
  }

  /** Notifications without a service (tests, embedding): notices come from {@link #publish}. */
  static Notifier detached(
      NotificationSettings settings,
      Clock clock,
      ScheduledExecutorService timer,
      Function<PnlQuery, PnlReport> pnl,
      CommandTarget commands) {
    Notifier n = new Notifier(settings, clock, timer, false, pnl, commands);
    n.begin();
    return n;
  }

  private void begin() {
    if (summary != null) {
      summary.start();
    }
    if (commands != null) {
      commands.start();
    }
  }

  void onEvent(Event event) {
    NoticeTranslator.translate(event).ifPresent(this::publish);
  }

  /** Hands a notice to every sink (each applies its filters). */
  public void publish(Notice notice) {
    for (SinkChannel c : channels) {
      c.offer(notice);
    }
  }

  /** Each sink's state: messages delivered and failed, notices waiting, the last failure. */
  public Map<String, String> health() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (SinkChannel c : channels) {
      out.put(
          c.sink().id(),
          "delivered "
              + c.messagesDelivered()
              + ", failed "
              + c.messagesFailed()
              + ", waiting "
              + c.waiting()
              + (c.lastFailure() == null ? "" : ", last failure: " + c.lastFailure()));
    }
    return out;
  }

  List<SinkChannel> channels() {
    return channels;
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
    if (summary != null) {
      summary.close();
    }
    if (commands != null) {
      commands.close();
    }
    channels.forEach(SinkChannel::close);
    if (ownTimer) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
