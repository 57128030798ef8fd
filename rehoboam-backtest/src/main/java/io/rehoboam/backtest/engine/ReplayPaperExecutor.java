package io.rehoboam.backtest.engine;

import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.core.sim.PaperConfig;
import io.rehoboam.core.sim.PaperValuation;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.Pool;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code paper} executor on a replayed market: the same rules as core's {@code
 * PaperTradeExecutor} on a sim market (the opportunity's legs as one atomic route, Uniswap V2's
 * integer formula leg by leg on the pools as they are now, the minimum output less {@code
 * slippage_bps}, the same gas model and the same outcomes and reasons), applied to a {@link
 * ReplayMarket}. An applied route changes the replayed pools ({@link ReplayMarket#applyTrade}).
 *
 * <p>Not thread-safe: a backtest runs on one thread.
 */
public final class ReplayPaperExecutor implements TradeExecutor {

  private final String id;
  private final ReplayMarket market;
  private final PaperConfig config;
  private final Clock clock;

  public ReplayPaperExecutor(String id, ReplayMarket market, PaperConfig config, Clock clock) {
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

  public ReplayMarket market() {
    return market;
  }

  @Override
  public CompletionStage<Execution> execute(ExecutionRequest request) {
    Checks.notNull(request, "request");
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
    Route route = route(o.legs(), amountIn, minOut);
    if (request.dryRun()) {
      BigInteger wouldMake = route.amountOut.subtract(amountIn).subtract(gasCost);
      return outcome(
          request,
          ExecutionStatus.SIMULATED,
          route.revert != null ? "would revert: " + route.revert : null,
          gasUnits,
          wouldMake,
          null,
          started);
    }
    if (route.revert != null) {
      return outcome(
          request, ExecutionStatus.REVERTED, route.revert, gasUnits, expected, null, started);
    }
    market.applyTrade(route.after.values());
    BigInteger realized = route.amountOut.subtract(amountIn).subtract(gasCost);
    return outcome(request, ExecutionStatus.SIMULATED, null, gasUnits, expected, realized, started);
  }

  private record Route(BigInteger amountOut, Map<String, Pool> after, String revert) {}

  /** The route on the current pools, as a router would run it; nothing is changed here. */
  private Route route(List<Leg> legs, BigInteger amountIn, BigInteger minAmountOut) {
    Checks.check(amountIn.signum() > 0, "amount_in", "must be positive, was " + amountIn);
    String previousOut = null;
    for (int k = 0; k < legs.size(); k++) {
      Leg leg = legs.get(k);
      Pool pool = market.pool(leg.poolId()).orElse(null);
      if (pool == null) {
        throw new RehoboamException(
            ErrorCode.NOT_FOUND, "hops[" + k + "]: no pool '" + leg.poolId() + "' in this market");
      }
      if (!pool.has(leg.tokenIn())) {
        throw RehoboamException.invalid(
            "hops[" + k + "].token_in",
            "pool " + pool.id() + " trades " + pool.token0() + " and " + pool.token1());
      }
      if (previousOut != null && !previousOut.equals(leg.tokenIn())) {
        throw RehoboamException.invalid(
            "hops[" + k + "].token_in", "must be what the previous leg takes out, " + previousOut);
      }
      previousOut = leg.tokenIn().equals(pool.token0()) ? pool.token1() : pool.token0();
    }
    Map<String, Pool> working = new LinkedHashMap<>();
    BigInteger amount = amountIn;
    for (int k = 0; k < legs.size(); k++) {
      Leg leg = legs.get(k);
      Pool pool = working.getOrDefault(leg.poolId(), market.pool(leg.poolId()).orElseThrow());
      boolean zeroForOne = leg.tokenIn().equals(pool.token0());
      BigInteger reserveIn = zeroForOne ? pool.reserve0() : pool.reserve1();
      BigInteger reserveOut = zeroForOne ? pool.reserve1() : pool.reserve0();
      BigInteger out = AmmMath.amountOut(amount, reserveIn, reserveOut, pool.feeBps());
      BigInteger newIn = reserveIn.add(amount);
      String revert = null;
      if (out.signum() == 0) {
        revert = "INSUFFICIENT_OUTPUT_AMOUNT: leg " + k + " (pool " + pool.id() + ") gives nothing";
      } else if (newIn.compareTo(Pool.MAX_RESERVE) > 0) {
        revert = "OVERFLOW: leg " + k + " (pool " + pool.id() + ") exceeds the reserve limit";
      }
      if (revert != null) {
        return new Route(BigInteger.ZERO, Map.of(), revert);
      }
      BigInteger newOut = reserveOut.subtract(out);
      working.put(
          pool.id(),
          zeroForOne ? pool.withReserves(newIn, newOut) : pool.withReserves(newOut, newIn));
      amount = out;
    }
    if (amount.compareTo(minAmountOut) < 0) {
      return new Route(
          amount,
          working,
          "INSUFFICIENT_OUTPUT_AMOUNT: amount out "
              + amount
              + " is below the minimum "
              + minAmountOut);
    }
    return new Route(amount, working, null);
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

  @Override
  public void close() {}
}
