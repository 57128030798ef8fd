package io.rehoboam.bot.layer2.internal;

import io.rehoboam.core.sim.Hop;
import io.rehoboam.core.sim.SimMarketSource;
import io.rehoboam.core.sim.SwapResult;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One chain of a simulated market with a paper ledger: swaps are exact paper swaps on the {@link
 * SimMarketSource} (which moves its reserves), paid from and into the ledger. A swap the ledger
 * cannot pay fails without touching the market.
 */
final class SimVenue implements ChainVenue {
  private final long chainId;
  private final SimMarketSource market;
  private final Executor executor;
  private final Map<String, BigInteger> ledger = new HashMap<>();

  SimVenue(long chainId, SimMarketSource market, Map<String, BigInteger> start, Executor executor) {
    this.chainId = chainId;
    this.market = market;
    this.executor = executor;
    ledger.putAll(start);
  }

  @Override
  public long chainId() {
    return chainId;
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public CompletableFuture<LegFill> swap(
      String poolId,
      String dex,
      String tokenIn,
      String tokenOut,
      BigInteger amountIn,
      BigInteger minAmountOut) {
    return CompletableFuture.supplyAsync(
        () -> swapNow(poolId, tokenIn, tokenOut, amountIn, minAmountOut), executor);
  }

  private LegFill swapNow(
      String poolId, String tokenIn, String tokenOut, BigInteger amountIn, BigInteger minOut) {
    synchronized (ledger) {
      BigInteger held = ledger.getOrDefault(tokenIn, BigInteger.ZERO);
      if (held.compareTo(amountIn) < 0) {
        return LegFill.failed(
            chainId,
            "insufficient inventory on chain "
                + chainId
                + ": holds "
                + held
                + " of "
                + tokenIn
                + ", needs "
                + amountIn);
      }
      SwapResult result;
      try {
        result = market.swap(poolId, tokenIn, amountIn, minOut);
      } catch (RehoboamException e) {
        return LegFill.failed(chainId, e.getMessage());
      }
      String ref = "sim:" + chainId + ":" + result.sequence();
      if (result.reverted()) {
        return new LegFill(
            chainId,
            ExecutionStatus.REVERTED,
            BigInteger.ZERO,
            BigInteger.ZERO,
            null,
            result.revertReason(),
            null,
            -1);
      }
      ledger.put(tokenIn, held.subtract(amountIn));
      ledger.merge(tokenOut, result.amountOut(), BigInteger::add);
      return new LegFill(
          chainId,
          ExecutionStatus.SIMULATED,
          amountIn,
          result.amountOut(),
          ref,
          null,
          null,
          result.sequence());
    }
  }

  /** The exact output on the market's current reserves (a quote: nothing changes). */
  @Override
  public Optional<BigInteger> quote(String poolId, String tokenIn, BigInteger amountIn) {
    try {
      SwapResult r = market.quoteLegs(List.of(new Hop(poolId, tokenIn)), amountIn, null);
      return r.reverted() ? Optional.of(BigInteger.ZERO) : Optional.of(r.amountOut());
    } catch (RehoboamException e) {
      return Optional.empty();
    }
  }

  @Override
  public BigInteger balance(String token) {
    synchronized (ledger) {
      return ledger.getOrDefault(token, BigInteger.ZERO);
    }
  }

  @Override
  public void refresh() {}

  @Override
  public void withdraw(String token, BigInteger amount) {
    synchronized (ledger) {
      BigInteger held = ledger.getOrDefault(token, BigInteger.ZERO);
      if (held.compareTo(amount) < 0) {
        throw new RehoboamException(
            ErrorCode.CONFLICT,
            "insufficient inventory on chain " + chainId + ": holds " + held + " of " + token);
      }
      ledger.put(token, held.subtract(amount));
    }
  }

  @Override
  public void deposit(String token, BigInteger amount) {
    synchronized (ledger) {
      ledger.merge(token, amount, BigInteger::add);
    }
  }

  @Override
  public void close() {}
}
