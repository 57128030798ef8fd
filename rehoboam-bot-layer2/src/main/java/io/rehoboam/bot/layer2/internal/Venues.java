package io.rehoboam.bot.layer2.internal;

import io.rehoboam.bot.layer2.internal.Layer2Settings.ChainSettings;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.util.Map;

/** Builds the venue of a chain that trades through a node ({@code rpc_url}). */
public final class Venues {
  private Venues() {}

  public static ChainVenue create(
      ChainSettings chain, Map<String, Integer> decimalsByToken, BotContext ctx) {
    throw new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        "chains: chain " + chain.chainId() + ": rpc_url is not supported by this build");
  }
}
