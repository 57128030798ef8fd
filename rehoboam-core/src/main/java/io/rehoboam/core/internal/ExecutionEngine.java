package io.rehoboam.core.internal;

import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.book.OpportunityBook;
import io.rehoboam.core.events.EventBus;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.core.journal.JournalledExecution;
import io.rehoboam.core.log.LogText;
import io.rehoboam.core.risk.RiskDecision;
import io.rehoboam.core.risk.RiskPolicy;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.SystemEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one opportunity through the rules every execution obeys, in this order: the idempotency key
 * (the same key returns the same execution), the book (unknown, expired), the once-per-opportunity
 * claim (an opportunity id is executed at most once, ever, whoever races for it), the risk policy,
 * and finally the trade executor. A dry run only simulates: it claims nothing and uses no risk
 * budget.
 *
 * <p>With a {@link Journal}, every real execution is journalled after the risk policy allowed it
 * and before the executor is called (write-ahead), and its result before anyone is told; {@link
 * #recover} loads the claims and idempotency keys back at start-up, so "at most once" and "same
 * key, same execution" hold across restarts.
 */
public final class ExecutionEngine {
  private static final Logger log = LoggerFactory.getLogger(ExecutionEngine.class);

  private record Keyed(String opportunityId, CompletableFuture<Execution> result) {}

  /**
   * An execution followed until its final status: who asked (whose counters), whether it is
   * journalled and risk-counted, and its last status. Guarded by itself.
   */
  private static final class Tracked {
    final String opportunityId;
    final String botId;
    final Consumer<Execution> onExecution;
    final boolean journalled;
    final boolean dryRun;
    Execution last;

    Tracked(
        String opportunityId,
        String botId,
        Consumer<Execution> onExecution,
        boolean journalled,
        boolean dryRun) {
      this.opportunityId = opportunityId;
      this.botId = botId;
      this.onExecution = onExecution;
      this.journalled = journalled;
      this.dryRun = dryRun;
    }
  }

  private final OpportunityBook book;
  private final RiskPolicy risk;
  private final Function<String, TradeExecutor> executors;
  private final QuoteValuation valuation;
  private final EventBus events;
  private final Clock clock;
  private final Journal journal;
  private final io.rehoboam.core.history.ExecutionHistory history;
  private final ConcurrentHashMap<String, String> claimed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Keyed> byKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Tracked> open = new ConcurrentHashMap<>();

  /** Ids of executions with a final status (this run's and the journal's): never taken again. */
  private final java.util.Set<String> finished = ConcurrentHashMap.newKeySet();

  private final ConcurrentHashMap<String, String> namedExecutor = new ConcurrentHashMap<>();

  /**
   * @param executors the executor for an id, null meaning the default; throws NOT_FOUND for an
   *     unknown id
   */
  public ExecutionEngine(
      OpportunityBook book,
      RiskPolicy risk,
      Function<String, TradeExecutor> executors,
      QuoteValuation valuation,
      EventBus events,
      Clock clock) {
    this(book, risk, executors, valuation, events, clock, null);
  }

  /**
   * @param journal where executions are written ahead, or null for none
   */
  public ExecutionEngine(
      OpportunityBook book,
      RiskPolicy risk,
      Function<String, TradeExecutor> executors,
      QuoteValuation valuation,
      EventBus events,
      Clock clock,
      Journal journal) {
    this(
        book,
        risk,
        executors,
        valuation,
        events,
        clock,
        journal,
        new io.rehoboam.core.history.ExecutionHistory());
  }

  /**
   * @param history where every execution sent to an executor is recorded
   */
  public ExecutionEngine(
      OpportunityBook book,
      RiskPolicy risk,
      Function<String, TradeExecutor> executors,
      QuoteValuation valuation,
      EventBus events,
      Clock clock,
      Journal journal,
      io.rehoboam.core.history.ExecutionHistory history) {
    this.history = history;
    this.journal = journal;
    this.book = book;
    this.risk = risk;
    this.executors = executors;
    this.valuation = valuation;
    this.events = events;
    this.clock = clock;
  }

  public RiskPolicy risk() {
    return risk;
  }

  /**
   * Remembers that {@code executorId} trades {@code opportunityId} (the bot that published it said
   * so): an execution that names no executor goes there.
   */
  public void nameExecutor(String opportunityId, String executorId) {
    namedExecutor.put(opportunityId, executorId);
  }

  /** Forgets the executor named for an opportunity that left the book. */
  public void forget(String opportunityId) {
    namedExecutor.remove(opportunityId);
  }

  /** Whether this opportunity id was ever claimed by a real (not dry-run) execution. */
  public boolean wasExecuted(String opportunityId) {
    return claimed.containsKey(opportunityId);
  }

  /**
   * Executes. The stage fails with a {@link RehoboamException}: NOT_FOUND, EXPIRED,
   * ALREADY_EXECUTED, RISK_REJECTED, INVALID_ARGUMENT.
   *
   * @param botId the bot asking (its counters get the execution), or null for an API caller
   * @param onExecution called with every status of the execution (for the bot's counters)
   */
  public CompletableFuture<Execution> execute(
      String opportunityId, ExecuteRequest request, String botId, Consumer<Execution> onExecution) {
    if (opportunityId == null || opportunityId.isBlank()) {
      return CompletableFuture.failedFuture(
          RehoboamException.invalid("opportunity_id", "must not be blank"));
    }
    String key = request.idempotencyKey();
    if (key == null) {
      return run(opportunityId, request, botId, onExecution);
    }
    CompletableFuture<Execution> mine = new CompletableFuture<>();
    Keyed existing = byKey.putIfAbsent(key, new Keyed(opportunityId, mine));
    if (existing != null) {
      if (!existing.opportunityId().equals(opportunityId)) {
        return CompletableFuture.failedFuture(
            new RehoboamException(
                ErrorCode.CONFLICT,
                "idempotency_key: already used for opportunity " + existing.opportunityId()));
      }
      return existing.result();
    }
    run(opportunityId, request, botId, onExecution)
        .whenComplete(
            (execution, failure) -> {
              if (failure != null) {
                mine.completeExceptionally(failure);
              } else {
                mine.complete(execution);
              }
            });
    return mine;
  }

  private CompletableFuture<Execution> run(
      String opportunityId, ExecuteRequest request, String botId, Consumer<Execution> onExecution) {
    Opportunity opportunity;
    TradeExecutor executor;
    String executedAs = request.dryRun() ? null : claimed.get(opportunityId);
    if (executedAs != null) {
      // Once executed, always "already executed": also after the book dropped or expired it.
      return CompletableFuture.failedFuture(alreadyExecuted(opportunityId, executedAs));
    }
    try {
      try {
        opportunity = book.require(opportunityId);
      } catch (RehoboamException e) {
        String executed = claimed.get(opportunityId);
        if (e.code() == ErrorCode.EXPIRED && executed != null && !request.dryRun()) {
          // It expired because it was traded: that is the better answer.
          throw alreadyExecuted(opportunityId, executed);
        }
        throw e;
      }
      if (request.amount() != null && request.amount().compareTo(opportunity.amountIn()) > 0) {
        throw RehoboamException.invalid(
            "amount",
            "must not exceed the opportunity's input " + opportunity.amountIn() + " base units");
      }
      executor =
          executors.apply(
              request.executor() != null ? request.executor() : namedExecutor.get(opportunityId));
    } catch (RehoboamException e) {
      return CompletableFuture.failedFuture(e);
    }
    String executionId = "ex-" + UUID.randomUUID();
    BigInteger amountIn = request.amount() == null ? opportunity.amountIn() : request.amount();
    ExecutionRequest executorRequest =
        new ExecutionRequest(
            executionId, opportunity, request.amount(), request.dryRun(), request.idempotencyKey());
    if (request.dryRun()) {
      return submit(executor, executorRequest, botId, onExecution, false, opportunityId);
    }
    String previous = claimed.putIfAbsent(opportunityId, executionId);
    if (previous != null) {
      return CompletableFuture.failedFuture(alreadyExecuted(opportunityId, previous));
    }
    BigDecimal inputValue = valuation.valueOfStart(opportunity, amountIn).orElse(null);
    BigDecimal netValue = opportunity.netProfitUsd();
    RiskDecision decision = risk.evaluate(opportunity, inputValue, netValue, botId);
    if (!decision.allowed()) {
      // Refused before anything was sent: the opportunity stays executable once the limit allows
      // it.
      claimed.remove(opportunityId, executionId);
      Instant now = clock.instant();
      Execution rejected =
          Execution.rejected(
              executionId,
              opportunityId,
              executor.mode(),
              opportunity.netProfit(),
              decision.limit().wireName() + ": " + decision.message(),
              now,
              now);
      announce(rejected, botId, onExecution);
      return CompletableFuture.failedFuture(
          new RehoboamException(
              ErrorCode.RISK_REJECTED,
              "rejected by risk limit " + decision.limit().wireName() + ": " + decision.message()));
    }
    ExecutionAttempt attempt =
        new ExecutionAttempt(
            executionId,
            opportunityId,
            request.idempotencyKey(),
            botId,
            executor.id(),
            executor.mode(),
            opportunity.startToken(),
            amountIn,
            opportunity.netProfit(),
            journal == null ? "{}" : OpportunityJson.of(opportunity),
            clock.instant());
    if (journal != null) {
      try {
        journal.begin(attempt);
      } catch (RuntimeException e) {
        // Not journalled means not sent: the opportunity stays executable unless the journal
        // itself says it was executed (by an earlier run).
        RehoboamException error =
            e instanceof RehoboamException re
                ? re
                : new RehoboamException(ErrorCode.INTERNAL, "journal: " + e.getMessage(), e);
        if (error.code() != ErrorCode.ALREADY_EXECUTED) {
          claimed.remove(opportunityId, executionId);
        }
        log.error(
            "Execution {} of {} not started: {}",
            executionId,
            LogText.escape(opportunityId),
            LogText.escape(e));
        return CompletableFuture.failedFuture(error);
      }
    }
    history.begin(
        attempt,
        opportunity,
        Execution.submitted(
            executionId,
            opportunityId,
            executor.mode(),
            opportunity.netProfit(),
            attempt.startedAt()));
    return submit(executor, executorRequest, botId, onExecution, journal != null, opportunityId);
  }

  /** Every execution sent to an executor, newest first: the trade history. */
  public io.rehoboam.core.history.ExecutionHistory history() {
    return history;
  }

  private static RehoboamException alreadyExecuted(String opportunityId, String executionId) {
    return new RehoboamException(
        ErrorCode.ALREADY_EXECUTED,
        "opportunity " + opportunityId + " was already executed (execution " + executionId + ")");
  }

  private CompletableFuture<Execution> submit(
      TradeExecutor executor,
      ExecutionRequest request,
      String botId,
      Consumer<Execution> onExecution,
      boolean journalled,
      String opportunityId) {
    Instant started = clock.instant();
    Tracked tracked = new Tracked(opportunityId, botId, onExecution, journalled, request.dryRun());
    open.put(request.executionId(), tracked);
    CompletableFuture<Execution> stage;
    try {
      stage = executor.execute(request).toCompletableFuture();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.handle(
        (execution, failure) -> {
          Execution result = execution;
          if (failure != null || execution == null) {
            Throwable cause = io.rehoboam.spi.Failures.cause(failure);
            String reason =
                cause == null ? "executor returned nothing" : String.valueOf(cause.getMessage());
            log.warn(
                "Execution {} of {} failed: {}",
                request.executionId(),
                LogText.escape(request.opportunity().id()),
                LogText.escape(reason));
            result =
                Execution.failed(
                    request.executionId(),
                    request.opportunity().id(),
                    executor.mode(),
                    request.opportunity().netProfit(),
                    reason,
                    started,
                    clock.instant());
          }
          return apply(request.executionId(), tracked, result);
        });
  }

  /**
   * Takes one status of a followed execution: journals it, counts a final one's realized loss in
   * the risk policy and tells the bot (or the event stream), once. A status after the final one, or
   * the same status again, changes nothing.
   *
   * @return the execution's latest accepted status
   */
  private Execution apply(String executionId, Tracked t, Execution e) {
    synchronized (t) {
      if (t.last != null && (t.last.status().isTerminal() || t.last.equals(e))) {
        if (!t.last.equals(e)) {
          log.warn(
              "Execution {} is already {}; its later status {} is ignored",
              executionId,
              t.last.status(),
              e.status());
        }
        return t.last;
      }
      t.last = e;
      if (t.journalled) {
        journalUpdate(e);
      }
      if (!t.dryRun) {
        history.update(e);
      }
      if (e.status().isTerminal()) {
        finished.add(executionId);
        open.remove(executionId, t);
        if (!t.dryRun) {
          risk.recordRealized(e.realizedProfitUsd(), t.botId);
        }
      }
      announce(e, t.botId, t.onExecution);
      return e;
    }
  }

  /**
   * A later status of an execution the engine started (an executor's report through {@link
   * io.rehoboam.spi.trade.ExecutionUpdates}).
   *
   * @throws RehoboamException NOT_FOUND when it is not in flight, INVALID_ARGUMENT when it names
   *     another opportunity
   */
  public void update(Execution execution) {
    io.rehoboam.spi.Checks.notNull(execution, "execution");
    Tracked t = open.get(execution.id());
    if (t == null && finished.contains(execution.id())) {
      ignoredAfterFinal(execution);
      return;
    }
    if (t == null) {
      throw new RehoboamException(
          ErrorCode.NOT_FOUND,
          "execution " + execution.id() + " is not in flight (unknown, or already final)");
    }
    checkSameOpportunity(t, execution);
    apply(execution.id(), t, execution);
  }

  /**
   * A status a bot reports: a later status of an execution the engine started, or a status of one
   * the bot made by itself. The first status of a new one is journalled before anyone is told and
   * its opportunity counts as executed from then on; then it is followed like any execution.
   *
   * @param counters the reporting bot's counters
   */
  public void report(String botId, Execution execution, Consumer<Execution> counters) {
    io.rehoboam.spi.Checks.notNull(execution, "execution");
    Tracked t = open.get(execution.id());
    if (t == null && finished.contains(execution.id())) {
      ignoredAfterFinal(execution);
      return;
    }
    if (t == null) {
      Tracked mine =
          new Tracked(execution.opportunityId(), botId, counters, journal != null, false);
      t = open.putIfAbsent(execution.id(), mine);
      if (t == null) {
        t = mine;
        begin(botId, execution);
      }
    }
    checkSameOpportunity(t, execution);
    apply(execution.id(), t, execution);
  }

  private static void ignoredAfterFinal(Execution e) {
    log.warn(
        "Execution {} already has its final status; {} reported later is ignored",
        e.id(),
        e.status());
  }

  private static void checkSameOpportunity(Tracked t, Execution e) {
    if (!t.opportunityId.equals(e.opportunityId())) {
      throw RehoboamException.invalid(
          "opportunity_id",
          "execution "
              + e.id()
              + " is of opportunity "
              + t.opportunityId
              + ", not "
              + e.opportunityId());
    }
  }

  /**
   * Claims, journals and records in the trade history an execution a bot made by itself, as the
   * engine does before sending.
   */
  private void begin(String botId, Execution e) {
    claimed.putIfAbsent(e.opportunityId(), e.id());
    Optional<Opportunity> o = book.find(e.opportunityId());
    ExecutionAttempt attempt =
        new ExecutionAttempt(
            e.id(),
            e.opportunityId(),
            null,
            botId,
            SELF_REPORTED + botId,
            e.mode(),
            o.map(Opportunity::startToken).orElse("unknown"),
            o.map(Opportunity::amountIn).orElse(BigInteger.ZERO),
            e.expectedProfit(),
            journal == null ? "{}" : o.map(OpportunityJson::of).orElse("{}"),
            e.startedAt());
    if (journal != null) {
      try {
        journal.begin(attempt);
      } catch (RuntimeException ex) {
        log.error(
            "Execution {} of {} reported by bot {} could not be journalled: {}",
            e.id(),
            LogText.escape(e.opportunityId()),
            botId,
            LogText.escape(ex));
        events.publish(
            (seq, at) ->
                new SystemEvent(
                    seq,
                    at,
                    SystemEvent.Kind.JOURNAL,
                    "execution "
                        + e.id()
                        + " reported by bot "
                        + botId
                        + " is not journalled: "
                        + ex.getMessage()));
      }
    }
    history.begin(attempt, o.orElse(null), e);
  }

  /** The executor id journalled for an execution a bot made by itself: this prefix and its id. */
  public static final String SELF_REPORTED = "bot:";

  private void journalUpdate(Execution result) {
    try {
      journal.update(result);
    } catch (RuntimeException e) {
      // The trade already happened; all that can be done is to say loudly that the record lags.
      log.error(
          "Execution {} finished {} but the journal could not record it: {}",
          result.id(),
          result.status(),
          LogText.escape(e));
    }
  }

  /**
   * Loads what the journal holds: every journalled opportunity id counts as executed and every
   * journalled idempotency key returns its execution. Then settles each execution left in flight:
   * an executor that is a {@link io.rehoboam.spi.trade.Reconciler} looks it up (its stage may
   * complete later, while its transaction is pending); any other one (paper) is marked failed,
   * since nothing of it can have reached a chain. Each step is reported as a {@code recovery}
   * system event. Call once, before any execution.
   *
   * @param onSettled told of each recovered execution once it is final, with its bot id (or null)
   * @return how many executions were left in flight
   */
  public int recover(JournalState state, BiConsumer<String, Execution> onSettled) {
    List<JournalledExecution> inFlight = new java.util.ArrayList<>();
    Map<String, CompletableFuture<Execution>> pending = new java.util.HashMap<>();
    for (JournalledExecution e : state.executions()) {
      history.load(e);
      claimed.put(e.attempt().opportunityId(), e.attempt().executionId());
      if (!e.inFlight()) {
        finished.add(e.attempt().executionId());
      }
      String key = e.attempt().idempotencyKey();
      CompletableFuture<Execution> result =
          e.inFlight() ? new CompletableFuture<>() : CompletableFuture.completedFuture(e.latest());
      if (key != null) {
        byKey.put(key, new Keyed(e.attempt().opportunityId(), result));
      }
      if (e.inFlight()) {
        inFlight.add(e);
        result.thenAccept(last -> onSettled.accept(e.attempt().botId(), last));
        pending.put(e.attempt().executionId(), result);
      }
    }
    recoveryEvent(
        "journal: "
            + state.executions().size()
            + " executions, "
            + inFlight.size()
            + " left in flight");
    for (JournalledExecution e : inFlight) {
      settle(e, pending.get(e.attempt().executionId()));
    }
    return inFlight.size();
  }

  private void settle(JournalledExecution e, CompletableFuture<Execution> result) {
    ExecutionAttempt a = e.attempt();
    TradeExecutor executor;
    try {
      executor = executors.apply(a.executorId());
    } catch (RehoboamException notFound) {
      executor = null;
    }
    CompletableFuture<Execution> outcome;
    if (executor instanceof io.rehoboam.spi.trade.Reconciler reconciler) {
      recoveryEvent(
          "execution "
              + a.executionId()
              + " of "
              + a.opportunityId()
              + " was in flight"
              + (e.txHash() == null ? "" : " with transaction " + e.txHash())
              + ": looking it up on executor "
              + a.executorId());
      try {
        outcome =
            reconciler
                .reconcile(
                    new io.rehoboam.spi.trade.InFlightExecution(
                        a.startToken(), a.amountIn(), e.latest(), e.nonce(), e.txHash()))
                .toCompletableFuture();
      } catch (RuntimeException ex) {
        outcome = CompletableFuture.failedFuture(ex);
      }
    } else {
      String reason =
          executor == null
              ? "the service stopped while it was in flight and executor "
                  + a.executorId()
                  + " is no longer configured"
                  + (e.txHash() == null ? "" : "; transaction " + e.txHash() + " is not followed")
              : "the service stopped while it was in flight ("
                  + a.mode().name().toLowerCase(java.util.Locale.ROOT)
                  + " execution: nothing was sent)";
      outcome =
          CompletableFuture.completedFuture(
              wasSent(e.latest())
                  ? sentRecovered(
                      e, executor == null ? a.executorId() + " is not configured" : null)
                  : failedRecovered(e, reason));
    }
    outcome.whenComplete(
        (execution, failure) -> {
          Throwable cause = io.rehoboam.spi.Failures.cause(failure);
          if (cause instanceof RehoboamException re && re.code() == ErrorCode.SHUTTING_DOWN) {
            // The service is closing while the transaction is pending: it stays in flight in the
            // journal and the next start looks it up again.
            recoveryEvent(
                "execution " + a.executionId() + " still in flight at close; looked up next start");
            result.completeExceptionally(re);
            return;
          }
          Execution last =
              failure != null || execution == null || !execution.status().isTerminal()
                  ? failedRecovered(
                      e,
                      "recovery could not settle it: "
                          + (failure == null ? "no final state" : String.valueOf(failure)))
                  : execution;
          if (journal != null) {
            journalUpdate(last);
          }
          history.update(last);
          risk.recordRealized(last.realizedProfitUsd(), a.botId());
          recoveryEvent(
              "execution "
                  + a.executionId()
                  + " of "
                  + a.opportunityId()
                  + " recovered as "
                  + last.status().name().toLowerCase(java.util.Locale.ROOT)
                  + (last.reason() == null ? "" : ": " + last.reason()));
          events.publish((seq, at) -> new ExecutionEvent(seq, at, a.botId(), last));
          finished.add(a.executionId());
          result.complete(last);
        });
  }

  /** Whether any part of the execution went out: a leg past its start, or a transaction. */
  private static boolean wasSent(Execution latest) {
    return !latest.txHashes().isEmpty()
        || latest.legs().stream()
            .anyMatch(
                l ->
                    l.status() != ExecutionStatus.REJECTED && l.status() != ExecutionStatus.FAILED);
  }

  /**
   * Settles an execution whose legs had gone out when the service stopped and whose executor cannot
   * look it up: what was sent is named, and its input is counted as lost (the realized profit is
   * minus the input, valued like the opportunity's profit) until someone reconciles it by hand, so
   * the daily loss limit sees it.
   */
  private Execution sentRecovered(JournalledExecution e, String why) {
    Execution latest = e.latest();
    ExecutionAttempt a = e.attempt();
    List<String> sent = new java.util.ArrayList<>();
    for (io.rehoboam.spi.trade.LegExecution l : latest.legs()) {
      sent.add(
          "leg "
              + l.index()
              + " on chain "
              + l.chainId()
              + " "
              + l.status().name().toLowerCase(java.util.Locale.ROOT)
              + (l.txHash() == null ? "" : " (" + l.txHash() + ")"));
    }
    if (sent.isEmpty()) {
      sent.add("transactions " + String.join(", ", latest.txHashes()));
    }
    BigInteger lost = a.amountIn().negate();
    return Execution.failed(
            latest.id(),
            latest.opportunityId(),
            latest.mode(),
            latest.expectedProfit(),
            "the service stopped while it was in flight after it had sent "
                + String.join("; ", sent)
                + (why == null ? "" : " (" + why + ")")
                + ": what they left is not followed; the input "
                + a.amountIn()
                + " is counted as lost until reconciled by hand",
            latest.startedAt(),
            clock.instant())
        .withTxHashes(latest.txHashes())
        .withGasUsed(latest.gasUsed())
        .withRealized(lost, OpportunityJson.quoteValue(a.opportunityJson(), lost))
        .withLegs(latest.legs());
  }

  private Execution failedRecovered(JournalledExecution e, String reason) {
    Execution latest = e.latest();
    return Execution.failed(
            latest.id(),
            latest.opportunityId(),
            latest.mode(),
            latest.expectedProfit(),
            reason,
            latest.startedAt(),
            clock.instant())
        .withTxHashes(latest.txHashes())
        .withGasUsed(latest.gasUsed())
        .withLegs(latest.legs());
  }

  private void recoveryEvent(String message) {
    log.info("Recovery: {}", LogText.escape(message));
    events.publish((seq, at) -> new SystemEvent(seq, at, SystemEvent.Kind.RECOVERY, message));
  }

  private void announce(Execution execution, String botId, Consumer<Execution> onExecution) {
    if (onExecution != null) {
      onExecution.accept(execution);
    } else {
      events.publish((seq, at) -> new ExecutionEvent(seq, at, botId, execution));
    }
  }

  /** Executors by id, with a default, for the engine's lookup function. */
  public static Function<String, TradeExecutor> lookup(
      Map<String, TradeExecutor> byId, Optional<String> defaultId) {
    return id -> {
      String wanted = id != null ? id : defaultId.orElse(null);
      if (wanted == null) {
        throw new RehoboamException(
            ErrorCode.NOT_FOUND,
            "no trade executor is configured (add one to the executors section)");
      }
      TradeExecutor executor = byId.get(wanted);
      if (executor == null) {
        throw new RehoboamException(
            ErrorCode.NOT_FOUND,
            "no trade executor with id '"
                + wanted
                + "' (known: "
                + String.join(", ", byId.keySet())
                + ")");
      }
      return executor;
    };
  }
}
