package io.rehoboam.core.testing;

import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A trade executor for unit tests of the execution rules: it records each request and reports it
 * simulated with the expected profit realized (or the loss the test sets).
 */
public final class RecordingExecutor implements TradeExecutor {
  public final List<ExecutionRequest> requests = new CopyOnWriteArrayList<>();
  private final Clock clock;

  /** When set, every execution realizes this quote value instead of the opportunity's. */
  public volatile BigDecimal realizedUsd;

  public RecordingExecutor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String id() {
    return "recording";
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.PAPER;
  }

  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    requests.add(request);
    var o = request.opportunity();
    return CompletableFuture.completedFuture(
        Execution.simulated(
                request.executionId(),
                o.id(),
                ExecutionMode.PAPER,
                o.netProfit(),
                request.dryRun() ? null : o.netProfit(),
                clock.instant(),
                clock.instant())
            .withRealized(
                request.dryRun() ? null : o.netProfit(),
                request.dryRun() ? null : realizedUsd != null ? realizedUsd : o.netProfitUsd()));
  }

  @Override
  public void close() {}
}
