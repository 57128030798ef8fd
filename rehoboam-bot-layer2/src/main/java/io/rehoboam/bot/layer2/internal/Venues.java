package io.rehoboam.bot.layer2.internal;

import io.rehoboam.bot.layer2.internal.Layer2Settings.ChainSettings;
import io.rehoboam.spi.BotContext;
import java.util.Map;

/** Builds the venue of a chain that trades through a node ({@code rpc_url}). */
public final class Venues {
  private Venues() {}

  /** A live venue on {@code chain} for the mapped tokens (address to decimals). */
  public static ChainVenue create(
      ChainSettings chain, Map<String, Integer> decimalsByToken, BotContext ctx) {
    return new EvmVenue(chain, decimalsByToken.keySet(), ctx);
  }
}
