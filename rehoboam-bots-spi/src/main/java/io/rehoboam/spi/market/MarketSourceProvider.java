package io.rehoboam.spi.market;

import io.rehoboam.spi.ProviderContext;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.Spi;
import java.util.Set;

/** Builds market sources of one type ({@code sim}, {@code evm}, ...). Found like bot providers. */
public interface MarketSourceProvider {

  /** The type id. */
  String type();

  default int spiVersion() {
    return Spi.VERSION;
  }

  /** Names of settings whose values are secrets (masked everywhere). */
  default Set<String> sensitiveSettings() {
    return Set.of();
  }

  /** Builds a source; must not start delivering before the first subscription. */
  MarketSource create(String id, Settings settings, ProviderContext context);
}
