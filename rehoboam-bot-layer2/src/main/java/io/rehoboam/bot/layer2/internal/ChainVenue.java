package io.rehoboam.bot.layer2.internal;

import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the bot trades on one chain: swaps with a minimum output, and the account's balances.
 * Implementations are thread-safe; {@link #swap} never blocks the caller.
 */
public interface ChainVenue extends AutoCloseable {

  long chainId();

  /** Whether swaps here are real transactions. */
  boolean live();

  /**
   * Swaps {@code amountIn} of {@code tokenIn} in {@code poolId} (venue {@code dex}) for its other
   * token, reverting when it would give less than {@code minAmountOut}. Completes with the fill;
   * never exceptionally.
   */
  CompletableFuture<LegFill> swap(
      String poolId,
      String dex,
      String tokenIn,
      String tokenOut,
      BigInteger amountIn,
      BigInteger minAmountOut);

  /**
   * What a swap of {@code amountIn} of {@code tokenIn} in {@code poolId} would give on the latest
   * state, without sending anything: the pre-trade check a bot makes before it sends (as an {@code
   * eth_call} of the swap would tell). Empty when this venue cannot tell; the swap's own minimum
   * still protects it then.
   */
  default Optional<BigInteger> quote(String poolId, String tokenIn, BigInteger amountIn) {
    return Optional.empty();
  }

  /** The account's balance of {@code token} as last known (0 when none). */
  BigInteger balance(String token);

  /** Re-reads balances where they live on a chain; a no-op for a paper ledger. */
  void refresh();

  /** Takes {@code amount} of {@code token} out for a bridge transfer (paper ledgers only). */
  void withdraw(String token, BigInteger amount);

  /** Adds {@code amount} of {@code token} arriving from a bridge (paper ledgers only). */
  void deposit(String token, BigInteger amount);

  @Override
  void close();
}
