package io.rehoboam.core.scan.gen;

import io.rehoboam.core.scan.TokenInfo;
import io.rehoboam.core.scan.TokenPrices;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated market: its tokens with their true prices, its pools, and the dislocations planted in
 * it. Immutable; the lists keep the generator's order, which is the same for the same seed.
 *
 * @param chainId the chain every token and pool is on
 * @param weth the address of the hub token (WETH); its {@code priceWeth} is exactly 1
 * @param tokens every token, WETH first, then the stablecoins, then the long tail by popularity
 * @param priceWeth the true price of one whole token in WETH, by token address
 * @param priceUsd the true price of one whole token in USD, by token address
 * @param pools every pool; ids must be unique
 * @param dislocations the planted dislocations (possibly none)
 */
public record SyntheticMarket(
    long chainId,
    String weth,
    List<Token> tokens,
    Map<String, BigDecimal> priceWeth,
    Map<String, BigDecimal> priceUsd,
    List<Pool> pools,
    List<PlantedDislocation> dislocations) {

  public SyntheticMarket {
    Checks.nonNegative(chainId, "chain_id");
    Checks.notBlank(weth, "weth");
    tokens = List.copyOf(Checks.notNull(tokens, "tokens"));
    priceWeth = Map.copyOf(Checks.notNull(priceWeth, "price_weth"));
    priceUsd = Map.copyOf(Checks.notNull(priceUsd, "price_usd"));
    pools = List.copyOf(Checks.notNull(pools, "pools"));
    dislocations = List.copyOf(Checks.notNull(dislocations, "dislocations"));
    for (Token token : tokens) {
      Checks.check(
          priceWeth.containsKey(token.address()) && priceUsd.containsKey(token.address()),
          "tokens",
          "token " + token.address() + " has no price");
    }
    Checks.check(priceWeth.containsKey(weth), "weth", "is not one of the tokens: " + weth);
    Set<String> ids = new HashSet<>(pools.size() * 2);
    for (Pool pool : pools) {
      Checks.check(ids.add(pool.id()), "pools", "pool id " + pool.id() + " appears twice");
      Checks.check(
          priceWeth.containsKey(pool.token0()) && priceWeth.containsKey(pool.token1()),
          "pools",
          "pool " + pool.id() + " trades a token that is not in the market");
    }
    for (PlantedDislocation d : dislocations) {
      Checks.check(
          ids.contains(d.poolId()) && ids.contains(d.counterpartPoolId()),
          "dislocations",
          "names a pool that is not in the market: " + d);
    }
  }

  /** The true USD price of one WETH. */
  public BigDecimal wethUsd() {
    return priceUsd.get(weth);
  }

  /** Every token with its decimals and true prices (USD and WETH), in {@link #tokens} order. */
  public List<TokenInfo> tokenInfos() {
    List<TokenInfo> infos = new ArrayList<>(tokens.size());
    for (Token token : tokens) {
      infos.add(
          new TokenInfo(
              token.address(),
              token.symbol(),
              token.decimals(),
              priceUsd.get(token.address()),
              priceWeth.get(token.address())));
    }
    return infos;
  }

  /**
   * The true prices as the scan engine takes them: WETH as the native token at {@link #wethUsd}.
   */
  public TokenPrices tokenPrices() {
    return TokenPrices.of(weth, wethUsd(), tokenInfos());
  }
}
