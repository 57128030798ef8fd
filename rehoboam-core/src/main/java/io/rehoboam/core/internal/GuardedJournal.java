package io.rehoboam.core.internal;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal that notices when its storage stops taking writes (a full disk, a lost database) and
 * when it takes them again. While it fails, the writes that protect an action (an execution's
 * start, a signed transaction, a bot's registration or desired state) still throw, so the action is
 * refused; the result of an execution that already happened is kept in memory and written as soon
 * as the storage takes writes again, so a completed execution is never left in flight to be settled
 * as failed at the next start. {@link #retry()} (called on a timer) tries the kept results, or a
 * check write, and ends the failure by itself.
 *
 * <p>Thread-safe: writes are serialized on this object.
 */
public final class GuardedJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(GuardedJournal.class);

  /** Told when the journal starts failing and when it recovers. */
  public interface Listener {
    void failing(String problem);

    void recovered(String message);
  }

  /** The journal's state as health checks show it. */
  public record Problem(String message, Instant since, int resultsWaiting) {}

  private final Journal delegate;
  private final Clock clock;
  private final Listener listener;
  private final Map<String, Execution> waiting = new LinkedHashMap<>();
  private volatile String failure;
  private volatile Instant failingSince;

  public GuardedJournal(Journal delegate, Clock clock, Listener listener) {
    this.delegate = delegate;
    this.clock = clock;
    this.listener = listener;
  }

  /** The current failure, if writes fail. */
  public Optional<Problem> problem() {
    String f = failure;
    if (f == null) {
      return Optional.empty();
    }
    int n;
    synchronized (this) {
      n = waiting.size();
    }
    return Optional.of(new Problem(f, failingSince, n));
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public JournalState load() {
    return delegate.load();
  }

  @Override
  public synchronized void begin(ExecutionAttempt attempt) {
    guarded(() -> delegate.begin(attempt));
  }

  @Override
  public synchronized void transactionSigned(String executionId, BigInteger nonce, String txHash) {
    guarded(() -> delegate.transactionSigned(executionId, nonce, txHash));
  }

  /**
   * Records the result, or keeps it (the latest per execution) to be written once the storage takes
   * writes again; never throws for a storage failure: the execution already happened.
   */
  @Override
  public synchronized void update(Execution execution) {
    waiting.remove(execution.id());
    waiting.put(execution.id(), execution);
    if (!flush()) {
      log.error(
          "Journal {}: the result of execution {} ({}) is kept in memory until the journal takes"
              + " writes again: {}",
          delegate.location(),
          execution.id(),
          execution.status(),
          failure);
    }
  }

  @Override
  public synchronized void desiredState(String botId, BotState desired) {
    guarded(() -> delegate.desiredState(botId, desired));
  }

  @Override
  public synchronized void desiredState(String botId, BotState desired, java.time.Instant at) {
    guarded(() -> delegate.desiredState(botId, desired, at));
  }

  @Override
  public synchronized void registered(BotRegistration registration) {
    guarded(() -> delegate.registered(registration));
  }

  @Override
  public synchronized void unregistered(String botId) {
    guarded(() -> delegate.unregistered(botId));
  }

  @Override
  public synchronized void riskControl(io.rehoboam.core.risk.RiskControl control) {
    guarded(() -> delegate.riskControl(control));
  }

  @Override
  public io.rehoboam.core.risk.RiskControl loadRiskControl() {
    return delegate.loadRiskControl();
  }

  @Override
  public synchronized void botSettings(String botId, io.rehoboam.spi.Settings settings) {
    guarded(() -> delegate.botSettings(botId, settings));
  }

  @Override
  public Map<String, io.rehoboam.spi.Settings> loadBotSettings() {
    return delegate.loadBotSettings();
  }

  @Override
  public synchronized void check() {
    guarded(delegate::check);
  }

  /**
   * Writes the kept results, or while failing without any, a check write; a success ends the
   * failure. Does nothing while the journal works and nothing is kept.
   */
  public synchronized void retry() {
    if (failure == null && waiting.isEmpty()) {
      return;
    }
    try {
      if (waiting.isEmpty()) {
        guarded(delegate::check);
      } else {
        flush();
      }
    } catch (RuntimeException e) {
      log.debug("Journal {}: still failing: {}", delegate.location(), e.toString());
    }
  }

  /** Tries once more to write what is kept, then closes the storage. */
  @Override
  public synchronized void close() {
    if (!waiting.isEmpty()) {
      flush();
      if (!waiting.isEmpty()) {
        log.error(
            "Journal {}: closing with {} execution result(s) never written ({}); they stay in"
                + " flight in the journal and are settled at the next start",
            delegate.location(),
            waiting.size(),
            List.copyOf(waiting.keySet()));
      }
    }
    delegate.close();
  }

  /** Writes the kept results in order; false (and failing) at the first that fails. */
  private boolean flush() {
    for (Execution e : new ArrayList<>(waiting.values())) {
      try {
        guarded(() -> delegate.update(e));
        waiting.remove(e.id());
      } catch (RehoboamException ex) {
        if (isStorageFailure(ex)) {
          return false;
        }
        // Not a storage problem (an execution the journal does not know): nothing to retry.
        waiting.remove(e.id());
        log.error(
            "Journal {}: the result of execution {} cannot be recorded: {}",
            delegate.location(),
            e.id(),
            ex.getMessage());
      }
    }
    return true;
  }

  private void guarded(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      RehoboamException re =
          e instanceof RehoboamException r
              ? r
              : new RehoboamException(
                  ErrorCode.INTERNAL, "journal " + delegate.location() + ": " + e, e);
      if (isStorageFailure(re)) {
        failed(re.getMessage());
      }
      throw re;
    }
    succeeded();
  }

  private static boolean isStorageFailure(RehoboamException e) {
    return switch (e.code()) {
      case ALREADY_EXECUTED, NOT_FOUND, INVALID_ARGUMENT, SHUTTING_DOWN -> false;
      default -> true;
    };
  }

  private void failed(String message) {
    boolean first = failure == null;
    failure = message == null ? "write failed" : message;
    if (first) {
      failingSince = clock.instant();
      log.error("Journal {} does not take writes: {}", delegate.location(), failure);
      listener.failing(failure);
    }
  }

  private void succeeded() {
    if (failure == null) {
      return;
    }
    String was = failure;
    failure = null;
    String message =
        "journal "
            + delegate.location()
            + " takes writes again (failing since "
            + failingSince
            + ": "
            + was
            + ")";
    log.warn("{}", message);
    listener.recovered(message);
  }
}
