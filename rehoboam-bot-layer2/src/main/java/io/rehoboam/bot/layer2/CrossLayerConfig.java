package io.rehoboam.bot.layer2;

import io.rehoboam.spi.Checks;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CrossLayerScanner} looks for and what it charges. Immutable.
 *
 * @param assets which token on which chain is the same asset
 * @param chains every watched chain's costs, in order; at least two
 * @param bridges bridge terms by direction ({@code "1->42161"}); the entry {@code default} applies
 *     to every direction without one of its own
 * @param mode how opportunities are executed (decides which transfers are charged)
 * @param startAssets the assets an opportunity may start (and end) in
 * @param minNetProfit the least net profit in start-token base units (at least 1)
 */
public record CrossLayerConfig(
    AssetMap assets,
    List<ChainCosts> chains,
    Map<String, BridgeTerms> bridges,
    Layer2Mode mode,
    List<String> startAssets,
    BigInteger minNetProfit) {

  /** The key of the bridge terms that apply to directions without their own. */
  public static final String DEFAULT_BRIDGE = "default";

  public CrossLayerConfig {
    Checks.notNull(assets, "assets");
    chains = List.copyOf(Checks.notNull(chains, "chains"));
    Checks.check(chains.size() >= 2, "chains", "must list at least two chains");
    Map<Long, Boolean> seen = new LinkedHashMap<>();
    for (ChainCosts c : chains) {
      Checks.check(
          seen.put(c.chainId(), Boolean.TRUE) == null,
          "chains",
          "lists chain " + c.chainId() + " twice");
    }
    bridges = Map.copyOf(Checks.notNull(bridges, "bridges"));
    Checks.notNull(mode, "mode");
    startAssets = List.copyOf(Checks.notNull(startAssets, "start_assets"));
    Checks.check(!startAssets.isEmpty(), "start_assets", "must name at least one asset");
    for (String a : startAssets) {
      Checks.check(
          assets.asMap().containsKey(a), "start_assets", "'" + a + "' is not in the asset map");
    }
    Checks.notNull(minNetProfit, "min_profit_base_units");
    Checks.check(minNetProfit.signum() > 0, "min_profit_base_units", "must be at least 1");
  }

  /** The direction key of a transfer: {@code "<from>-><to>"}. */
  public static String direction(long fromChain, long toChain) {
    return fromChain + "->" + toChain;
  }

  /**
   * The terms of a transfer from {@code fromChain} to {@code toChain}: its own, else the default.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT when neither is configured
   */
  public BridgeTerms bridge(long fromChain, long toChain) {
    BridgeTerms own = bridges.get(direction(fromChain, toChain));
    BridgeTerms terms = own != null ? own : bridges.get(DEFAULT_BRIDGE);
    Checks.check(
        terms != null,
        "bridges",
        "no bridge for " + direction(fromChain, toChain) + " and no default");
    return terms;
  }

  /** The costs of {@code chainId}. */
  public ChainCosts chain(long chainId) {
    for (ChainCosts c : chains) {
      if (c.chainId() == chainId) {
        return c;
      }
    }
    throw io.rehoboam.spi.RehoboamException.invalid(
        "chain_id", "chain " + chainId + " is not watched");
  }
}
