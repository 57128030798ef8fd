package io.rehoboam.http.testing;

import io.rehoboam.spi.Subscription;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.SourceHealth;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A market source with no pools whose health the test sets. */
public final class FakeSource implements MarketSource {
  private final String id;
  private volatile SourceHealth health = SourceHealth.up(Instant.EPOCH);
  private volatile Map<String, Token> tokens = Map.of();

  public FakeSource(String id) {
    this.id = id;
  }

  /** The tokens it says it knows. */
  public FakeSource tokens(Token... known) {
    Map<String, Token> map = new java.util.HashMap<>();
    for (Token t : known) {
      map.put(t.address(), t);
    }
    this.tokens = Map.copyOf(map);
    return this;
  }

  public void health(SourceHealth newHealth) {
    this.health = newHealth;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Subscription subscribe(Consumer<PoolUpdate> listener) {
    return () -> {};
  }

  @Override
  public Map<String, Token> tokens() {
    return tokens;
  }

  @Override
  public Optional<BigDecimal> quotePrice(String tokenAddress) {
    return Optional.empty();
  }

  @Override
  public SourceHealth health() {
    return health;
  }

  @Override
  public void close() {}
}
