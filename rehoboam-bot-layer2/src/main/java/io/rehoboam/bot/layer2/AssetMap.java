package io.rehoboam.bot.layer2;

import io.rehoboam.spi.Checks;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which token on which chain is the same asset: for example WETH is {@code 0xc02a...} on chain 1
 * and {@code 0x82af...} on chain 42161. Immutable and thread-safe.
 */
public final class AssetMap {
  private final Map<String, Map<Long, String>> byAsset;
  private final Map<Long, Map<String, String>> assetByChainToken;

  /**
   * @param addresses asset name to (chain id to token address); an address may appear once per
   *     chain
   */
  public AssetMap(Map<String, Map<Long, String>> addresses) {
    Checks.notNull(addresses, "assets");
    Map<String, Map<Long, String>> copy = new LinkedHashMap<>();
    Map<Long, Map<String, String>> reverse = new HashMap<>();
    for (Map.Entry<String, Map<Long, String>> e : addresses.entrySet()) {
      String asset = Checks.notBlank(e.getKey(), "asset name");
      Map<Long, String> chains = new LinkedHashMap<>();
      for (Map.Entry<Long, String> c : Checks.notNull(e.getValue(), "assets." + asset).entrySet()) {
        String address =
            Checks.notBlank(c.getValue(), "assets." + asset + "." + c.getKey())
                .toLowerCase(Locale.ROOT);
        String previous =
            reverse.computeIfAbsent(c.getKey(), k -> new HashMap<>()).put(address, asset);
        Checks.check(
            previous == null,
            "assets." + asset + "." + c.getKey(),
            "token " + address + " is already asset " + previous + " on chain " + c.getKey());
        chains.put(c.getKey(), address);
      }
      copy.put(asset, Collections.unmodifiableMap(chains));
    }
    this.byAsset = Collections.unmodifiableMap(copy);
    Map<Long, Map<String, String>> frozen = new HashMap<>();
    reverse.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
    this.assetByChainToken = Map.copyOf(frozen);
  }

  /** Asset names in declaration order. */
  public List<String> assets() {
    return List.copyOf(byAsset.keySet());
  }

  /** The token address of {@code asset} on {@code chainId}, lower-case. */
  public Optional<String> address(String asset, long chainId) {
    Map<Long, String> chains = byAsset.get(asset);
    return chains == null ? Optional.empty() : Optional.ofNullable(chains.get(chainId));
  }

  /** The asset the token {@code address} of {@code chainId} is, if mapped. */
  public Optional<String> assetOf(long chainId, String address) {
    Map<String, String> tokens = assetByChainToken.get(chainId);
    return tokens == null
        ? Optional.empty()
        : Optional.ofNullable(tokens.get(address.toLowerCase(Locale.ROOT)));
  }

  /** Every asset's addresses by chain (unmodifiable). */
  public Map<String, Map<Long, String>> asMap() {
    return byAsset;
  }

  @Override
  public String toString() {
    return "AssetMap" + byAsset;
  }
}
