package io.rehoboam.core.bots;

import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The engine's side of a bot for unit tests: blocking work runs inline on the calling thread (so a
 * test knows every update was scanned when a tick returns), publications land in a real {@link
 * OpportunityBook} and are recorded.
 */
final class RecordingBotContext implements BotContext {
  record Expiry(String opportunityId, String reason) {}

  final OpportunityBook book;
  final List<Opportunity> found = new CopyOnWriteArrayList<>();
  final List<Expiry> expired = new CopyOnWriteArrayList<>();
  final List<String> logs = new CopyOnWriteArrayList<>();

  /** Publications (the opportunity) and expiries (null, with the id) in the order they came. */
  private final List<Map.Entry<String, Opportunity>> events = new CopyOnWriteArrayList<>();

  final List<String> failures = new CopyOnWriteArrayList<>();
  volatile int heartbeats;

  private final Settings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, MarketSource> sources = new LinkedHashMap<>();

  RecordingBotContext(
      Settings settings, Clock clock, ScheduledExecutorService scheduler, MarketSource... sources) {
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.book = new OpportunityBook(clock);
    for (MarketSource s : sources) {
      this.sources.put(s.id(), s);
    }
  }

  @Override
  public String botId() {
    return "monitor";
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public Executor blockingExecutor() {
    return Runnable::run;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public MarketSource marketSource(String sourceId) {
    MarketSource s = sources.get(sourceId);
    if (s == null) {
      throw new RehoboamException(
          ErrorCode.NOT_FOUND, "no market source with id '" + sourceId + "'");
    }
    return s;
  }

  /**
   * What the events leave open, replayed in order: an opportunity can be published, expired and
   * published again (a better one of its pair came and went).
   */
  List<Opportunity> open() {
    Map<String, Opportunity> open = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Opportunity> event : events) {
      if (event.getValue() == null) {
        open.remove(event.getKey());
      } else {
        open.put(event.getKey(), event.getValue());
      }
    }
    return new ArrayList<>(open.values());
  }

  @Override
  public List<String> marketSourceIds() {
    return new ArrayList<>(sources.keySet());
  }

  @Override
  public java.util.Map<String, String> env() {
    return java.util.Map.of();
  }

  @Override
  public void publishOpportunity(Opportunity opportunity) {
    found.add(opportunity);
    events.add(new java.util.AbstractMap.SimpleEntry<>(opportunity.id(), opportunity));
    book.put(opportunity);
  }

  @Override
  public void publishOpportunity(Opportunity opportunity, String executorId) {
    publishOpportunity(opportunity);
  }

  @Override
  public Subscription registerExecutor(io.rehoboam.spi.trade.TradeExecutor executor) {
    throw new UnsupportedOperationException("a monitor owns no executor");
  }

  @Override
  public io.rehoboam.spi.trade.ExecutionUpdates executionUpdates() {
    return e -> {
      throw new UnsupportedOperationException("a monitor does not execute");
    };
  }

  @Override
  public void expireOpportunity(String opportunityId, String reason) {
    expired.add(new Expiry(opportunityId, reason));
    events.add(new java.util.AbstractMap.SimpleEntry<>(opportunityId, null));
    book.remove(opportunityId);
  }

  @Override
  public void publishExecution(Execution execution) {
    throw new UnsupportedOperationException("a monitor does not execute");
  }

  @Override
  public Subscription onOpportunity(Consumer<Opportunity> listener) {
    throw new UnsupportedOperationException("a monitor does not listen to opportunities");
  }

  @Override
  public CompletionStage<Execution> execute(
      String opportunityId, BigInteger amountIn, String executorId) {
    throw new UnsupportedOperationException("a monitor does not execute");
  }

  @Override
  public void heartbeat() {
    heartbeats++;
  }

  @Override
  public void recordActivity() {
    heartbeats++;
  }

  @Override
  public void log(LogLevel level, String message) {
    logs.add(level + " " + message);
  }

  @Override
  public void reportProcess(String commandLine, long pid) {}

  @Override
  public void reportFailure(String reason, Throwable cause) {
    failures.add(reason + ": " + cause);
  }

  @Override
  public void reportCompleted(String reason) {
    failures.add("completed: " + reason);
  }
}
