package io.rehoboam.spi.market;

import io.rehoboam.spi.Subscription;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A stream of pool updates from one market (a simulated market, a chain read through RPC, a
 * process).
 *
 * <p>Threading: listeners are called from the source's delivery thread, one update at a time, in
 * sequence order; a listener must not block. {@link #close()} stops delivery and releases every
 * thread and connection.
 */
public interface MarketSource extends AutoCloseable {

  /** The source's id, unique in a service. */
  String id();

  /**
   * Subscribes to updates. A new subscriber first receives every known pool as an {@link
   * PoolUpdate.Kind#ADDED} update, then the changes.
   */
  Subscription subscribe(Consumer<PoolUpdate> listener);

  /** The tokens this source knows, by lower-case address. */
  Map<String, Token> tokens();

  /** The quote-currency price of one whole token, when the source knows it. */
  Optional<BigDecimal> quotePrice(String tokenAddress);

  /**
   * The quote-currency price of one whole token for every token the source can price, taken at one
   * moment (a source whose prices move overrides this to give a consistent snapshot), by lower-case
   * address.
   */
  default Map<String, BigDecimal> quotePrices() {
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    for (String address : tokens().keySet()) {
      quotePrice(address).ifPresent(p -> out.put(address, p));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The wrapped native (gas) token of each chain this source covers, lower-case address by chain
   * id; empty when the source does not know (a consumer then looks for a token called WETH).
   */
  default Map<Long, String> nativeTokens() {
    return Map.of();
  }

  /**
   * This source as {@code capability}, a richer interface it offers (for example a simulated market
   * that paper trades move), or empty. A source that wraps another answers for what it wraps.
   */
  default <T> Optional<T> capability(Class<T> capability) {
    return capability.isInstance(this) ? Optional.of(capability.cast(this)) : Optional.empty();
  }

  /** The source's health; must not block. */
  SourceHealth health();

  @Override
  void close();
}
