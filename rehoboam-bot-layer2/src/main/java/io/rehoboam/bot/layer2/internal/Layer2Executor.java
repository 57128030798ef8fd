package io.rehoboam.bot.layer2.internal;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.TradeExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code layer2} trade executor: hands each cross-layer opportunity to the desk of the layer2
 * bot that published it, which routes every leg to its own chain. The engine has applied the risk
 * policy and the once-per-opportunity rule before.
 */
public final class Layer2Executor implements TradeExecutor {
  private final String id;
  private final ExecutionMode mode;
  private final Clock clock;
  private volatile boolean closed;

  public Layer2Executor(String id, boolean live, Clock clock) {
    this.id = Checks.notBlank(id, "id");
    this.mode = live ? ExecutionMode.LIVE : ExecutionMode.PAPER;
    this.clock = Checks.notNull(clock, "clock");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ExecutionMode mode() {
    return mode;
  }

  /**
   * Executes through the publishing bot's desk. Fails (status {@code failed}) when no running
   * layer2 bot holds the opportunity, or when the bot's chains trade live and this executor is
   * paper (or the other way round).
   */
  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    Checks.notNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "layer2 executor " + id + " is closed"));
    }
    Optional<Desk> desk = Desks.forOpportunity(request.opportunity().id());
    if (desk.isEmpty()) {
      return CompletableFuture.completedFuture(
          failed(
              request,
              "opportunity "
                  + request.opportunity().id()
                  + " was not published by a running layer2 bot (strategy "
                  + request.opportunity().strategy()
                  + ")"));
    }
    if (desk.get().live() != (mode == ExecutionMode.LIVE)) {
      return CompletableFuture.completedFuture(
          failed(
              request,
              "executor "
                  + id
                  + " is "
                  + mode.name().toLowerCase(java.util.Locale.ROOT)
                  + " but bot "
                  + desk.get().botId()
                  + (desk.get().live() ? " trades live" : " trades on paper")
                  + "; set live: "
                  + desk.get().live()
                  + " on the executor"));
    }
    return desk.get().execute(request, mode);
  }

  private Execution failed(ExecutionRequest request, String reason) {
    var now = clock.instant();
    return new Execution(
        request.executionId(),
        request.opportunity().id(),
        mode,
        ExecutionStatus.FAILED,
        reason,
        List.of(),
        null,
        request.opportunity().netProfit(),
        null,
        null,
        now,
        now,
        List.of());
  }

  @Override
  public void close() {
    closed = true;
  }
}
