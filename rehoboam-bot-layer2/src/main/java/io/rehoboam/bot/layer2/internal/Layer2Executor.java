package io.rehoboam.bot.layer2.internal;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.TradeExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A layer2 bot's own trade executor, registered with the engine while the bot runs: hands each of
 * the bot's cross-layer opportunities to its desk, which routes every leg to its own chain. Live
 * when the bot's chains trade live. The engine has applied the risk policy and the
 * once-per-opportunity rule before; the desk reports later statuses (a bridge transfer settling)
 * through the engine's execution updates.
 */
public final class Layer2Executor implements TradeExecutor {
  private final String id;
  private final Desk desk;
  private final ExecutionMode mode;
  private volatile boolean closed;

  public Layer2Executor(String id, Desk desk) {
    this.id = Checks.notBlank(id, "id");
    this.desk = Checks.notNull(desk, "desk");
    this.mode = desk.live() ? ExecutionMode.LIVE : ExecutionMode.PAPER;
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
   * Executes through the desk; fails (status {@code failed}) for an opportunity it does not hold.
   */
  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    Checks.notNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "layer2 executor " + id + " is closed"));
    }
    return desk.execute(request, mode);
  }

  @Override
  public void close() {
    closed = true;
  }
}
