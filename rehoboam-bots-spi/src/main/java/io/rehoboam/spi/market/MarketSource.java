package io.rehoboam.spi.market;

import io.rehoboam.spi.Subscription;
import java.math.BigDecimal;
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

  /** The source's health; must not block. */
  SourceHealth health();

  @Override
  void close();
}
