package io.rehoboam.spi.trade;

import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Spi;
import java.util.Set;

/**
 * Builds trade executors of one type ({@code paper}, {@code evm}, ...). Found like bot providers.
 */
public interface TradeExecutorProvider {

  /** The type id. */
  String type();

  default int spiVersion() {
    return Spi.VERSION;
  }

  /** Names of settings whose values are secrets (masked everywhere). */
  default Set<String> sensitiveSettings() {
    return Set.of();
  }

  /** Builds an executor; must not send anything before {@link TradeExecutor#execute} is called. */
  TradeExecutor create(String id, Settings settings, ProviderContext context);
}
