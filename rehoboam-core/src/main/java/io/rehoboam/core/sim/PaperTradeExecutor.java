package io.rehoboam.core.sim;

import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionRequest;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.spi.trade.TradeExecutor;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Executes opportunities on a {@link SimMarketSource}: the opportunity's legs become one atomic
 * route ({@link SimMarketSource#executeLegs}) whose last leg must give at least the predicted
 * output less the slippage tolerance, else the route reverts and the market is unchanged.
 *
 * <p>Outcomes: an applied route is {@link ExecutionStatus#SIMULATED} with {@code realized_profit =
 * amount out - amount in - gas cost} (start-token base units) and {@code realized_profit_usd} its
 * value at the market's current price; a route that would take out less than the minimum is {@link
 * ExecutionStatus#REVERTED} (realized null: nothing moved); a request the market cannot run (a pool
 * it does not have, a gas cost it cannot price) is {@link ExecutionStatus#FAILED}. A dry run
 * computes the route on the current state without changing it: {@link ExecutionStatus#SIMULATED},
 * realized null, {@code expected_profit} what the route would make now (its reason says when it
 * would revert).
 *
 * <p>Predicted output: the opportunity's {@code amount_out}; for a smaller {@code amountIn} the
 * output scaled down in proportion, which a concave swap path always meets or beats on unchanged
 * reserves. Gas: the opportunity's {@code gas_cost}, or, with a configured gas price, {@code
 * (gas_per_tx + legs * gas_per_leg) * gas_price} converted into the start token as the scan engine
 * converts it ({@link TokenPrices#fromNative}, rounded up).
 *
 * <p>Threading: {@link #execute} is thread-safe and computes on the caller's thread (the market's
 * lock is held only for the route); the stage is complete when it returns.
 */
public final class PaperTradeExecutor implements TradeExecutor {

  private final String id;
  private final SimMarketSource market;
  private final PaperConfig config;
  private final Clock clock;
  private volatile boolean closed;

  public PaperTradeExecutor(String id, SimMarketSource market, PaperConfig config, Clock clock) {
    this.id = Checks.notBlank(id, "id");
    this.market = Checks.notNull(market, "market");
    this.config = Checks.notNull(config, "config");
    this.clock = Checks.notNull(clock, "clock");
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ExecutionMode mode() {
    return ExecutionMode.PAPER;
  }

  /** The market this executor trades on. */
  public SimMarketSource market() {
    return market;
  }

  public PaperConfig config() {
    return config;
  }

  /**
   * Executes (or, for a dry run, simulates) the request; see the class comment for the outcomes.
   * The stage fails only with SHUTTING_DOWN after {@link #close()}.
   */
  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    Checks.notNull(request, "request");
    if (closed) {
      return CompletableFuture.failedFuture(
          new RehoboamException(ErrorCode.SHUTTING_DOWN, "paper executor " + id + " is closed"));
    }
    Instant started = clock.instant();
    try {
      return CompletableFuture.completedFuture(run(request, started));
    } catch (RehoboamException e) {
      return CompletableFuture.completedFuture(
          outcome(
              request,
              ExecutionStatus.FAILED,
              e.getMessage(),
              null,
              request.opportunity().netProfit(),
              null,
              started));
    }
  }

  private Execution run(ExecutionRequest request, Instant started) {
    Opportunity o = request.opportunity();
    BigInteger amountIn = request.amountIn() == null ? o.amountIn() : request.amountIn();
    List<Hop> hops = new ArrayList<>(o.legs().size());
    for (Leg leg : o.legs()) {
      hops.add(new Hop(leg.poolId(), leg.tokenIn()));
    }
    BigInteger predictedOut =
        amountIn.equals(o.amountIn()) || o.amountIn().signum() == 0
            ? o.amountOut()
            : amountIn.multiply(o.amountOut()).divide(o.amountIn());
    BigInteger minOut =
        predictedOut.subtract(
            predictedOut
                .multiply(BigInteger.valueOf(config.slippageBps()))
                .divide(BigInteger.valueOf(10_000)));
    BigInteger gasCost = gasCost(o);
    BigInteger gasUnits = config.gasUnits(o.legs().size());
    BigInteger expected = predictedOut.subtract(amountIn).subtract(gasCost);
    if (request.dryRun()) {
      SwapResult quote = market.quoteLegs(hops, amountIn, minOut);
      BigInteger wouldMake = quote.amountOut().subtract(amountIn).subtract(gasCost);
      return outcome(
          request,
          ExecutionStatus.SIMULATED,
          quote.reverted() ? "would revert: " + quote.revertReason() : null,
          gasUnits,
          wouldMake,
          null,
          started);
    }
    SwapResult result = market.executeLegs(hops, amountIn, minOut);
    if (result.reverted()) {
      return outcome(
          request,
          ExecutionStatus.REVERTED,
          result.revertReason(),
          gasUnits,
          expected,
          null,
          started);
    }
    BigInteger realized = result.amountOut().subtract(amountIn).subtract(gasCost);
    return outcome(request, ExecutionStatus.SIMULATED, null, gasUnits, expected, realized, started);
  }

  private BigInteger gasCost(Opportunity o) {
    return PaperValuation.gasCost(config, market, o);
  }

  private Execution outcome(
      ExecutionRequest request,
      ExecutionStatus status,
      String reason,
      BigInteger gasUsed,
      BigInteger expectedProfit,
      BigInteger realized,
      Instant started) {
    return PaperValuation.outcome(
        market,
        request,
        status,
        reason,
        gasUsed,
        expectedProfit,
        realized,
        started,
        clock.instant());
  }

  /** Refuses later executions. Does not close the market (the service owns it). Idempotent. */
  @Override
  public void close() {
    closed = true;
  }
}
