package io.rehoboam.http.testing;

import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigInteger;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A paper executor for tests: confirms every real request with the opportunity's net profit (scaled
 * down for a smaller amount), simulates dry runs, and counts what it was asked to do. While {@link
 * #gate} is incomplete, executions wait for it.
 */
public final class RecordingExecutor implements TradeExecutor {
  public static final String ID = "paper-test";

  private final Clock clock;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger dryRuns = new AtomicInteger();
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private final CompletableFuture<Void> firstCall = new CompletableFuture<>();

  public RecordingExecutor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.PAPER;
  }

  /** Holds executions until the returned future is completed. */
  public CompletableFuture<Void> hold() {
    CompletableFuture<Void> g = new CompletableFuture<>();
    gate = g;
    return g;
  }

  /** Completes when the first real (not dry-run) execution reached the executor. */
  public CompletableFuture<Void> firstCall() {
    return firstCall;
  }

  public int calls() {
    return calls.get();
  }

  public int dryRuns() {
    return dryRuns.get();
  }

  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    if (request.dryRun()) {
      dryRuns.incrementAndGet();
    } else {
      calls.incrementAndGet();
      firstCall.complete(null);
    }
    return gate.thenApply(ignored -> result(request));
  }

  private Execution result(ExecutionRequest request) {
    Opportunity o = request.opportunity();
    BigInteger realized =
        request.amountIn() == null
            ? o.netProfit()
            : o.netProfit().multiply(request.amountIn()).divide(o.amountIn());
    var now = clock.instant();
    return Execution.submitted(
            request.executionId(), o.id(), ExecutionMode.PAPER, o.netProfit(), now)
        .withGasUsed(BigInteger.valueOf(21_000))
        .withRealized(realized, o.netProfitUsd())
        .withStatus(
            request.dryRun() ? ExecutionStatus.SIMULATED : ExecutionStatus.CONFIRMED, null, now);
  }

  @Override
  public void close() {}
}
