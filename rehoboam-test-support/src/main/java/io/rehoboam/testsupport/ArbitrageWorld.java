package io.rehoboam.testsupport;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A small market with planted arbitrage on a local chain, deployed by the fixture account (account
 * 0 of the node):
 *
 * <ul>
 *   <li>two venues, {@code uniswap_v2} (dex A) and {@code sushiswap} (dex B): two factories with a
 *       Router02 each, both with the mainnet init-code hash;
 *   <li>tokens {@code base} (the start token), {@code usd}, {@code x}, {@code y} and {@code z};
 *   <li>cross-venue: base/usd on both venues at different prices (1:2000 on A, 1:2100 on B);
 *   <li>cyclic: base -> x -> y -> base on dex A, the last pool priced 10% off;
 *   <li>base/z and z/usd on dex B, priced like dex A, so more paths (and cycles through the
 *       mispriced base/usd pools) exist.
 * </ul>
 *
 * Every token has 18 decimals and a supply of 10^36 base units held by the fixture account ({@link
 * #deployWrappedNativeBase}: {@code base} is the WETH9 of the world, 100,000 of it wrapped).
 */
public record ArbitrageWorld(
    UniswapV2.Dex dexA,
    UniswapV2.Dex dexB,
    String weth,
    String base,
    String usd,
    String x,
    String y,
    String z,
    String baseUsdA,
    String baseUsdB,
    String baseX,
    String xY,
    String yBase,
    String baseZ,
    String zUsd) {

  /** One whole token (10^18 base units). */
  public static final BigInteger ONE = BigInteger.TEN.pow(18);

  private static BigInteger tokens(long n) {
    return ONE.multiply(BigInteger.valueOf(n));
  }

  /** Every pool of the world. */
  public List<String> pools() {
    return List.of(baseUsdA, baseUsdB, baseX, xY, yBase, baseZ, zUsd);
  }

  /** Every token of the world. */
  public List<String> tokenList() {
    return List.of(base, usd, x, y, z);
  }

  /** Deploys the world with the client's account; see the class comment for its shape. */
  public static ArbitrageWorld deploy(ChainClient c) {
    return deploy(c, false, null);
  }

  /**
   * The same world with the chain's wrapped native token (WETH9) as {@code base}: the client's
   * account wraps {@link #WRAPPED} ether for it (anvil's default accounts hold 1,000,000).
   */
  public static ArbitrageWorld deployWrappedNativeBase(ChainClient c) {
    return deploy(c, true, null);
  }

  /**
   * {@link #deployWrappedNativeBase} with the WETH9 planted at {@code wethAddress} (see {@link
   * UniswapV2#plantWethAt}), e.g. mainnet's WETH address.
   */
  public static ArbitrageWorld deployWrappedNativeBase(ChainClient c, String wethAddress) {
    return deploy(c, true, wethAddress);
  }

  /** How much ether {@link #deployWrappedNativeBase} wraps: 100,000 WETH. */
  public static final BigInteger WRAPPED = tokens(100_000);

  private static ArbitrageWorld deploy(ChainClient c, boolean wrappedBase, String wethAddress) {
    String weth =
        wethAddress == null ? UniswapV2.deployWeth(c) : UniswapV2.plantWethAt(c, wethAddress);
    UniswapV2.Dex a = UniswapV2.deployDex(c, "uniswap_v2", weth);
    UniswapV2.Dex b = UniswapV2.deployDex(c, "sushiswap", weth);
    BigInteger supply = BigInteger.TEN.pow(36);
    List<String> t = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      if (i == 0 && wrappedBase) {
        c.send(weth, "0xd0e30db0", WRAPPED); // deposit()
        t.add(weth);
      } else {
        t.add(UniswapV2.deployToken(c, supply));
      }
    }
    String base = t.get(0);
    String usd = t.get(1);
    String x = t.get(2);
    String y = t.get(3);
    String z = t.get(4);
    String baseUsdA = UniswapV2.createPair(c, a, base, usd, tokens(1_000), tokens(2_000_000));
    String baseUsdB = UniswapV2.createPair(c, b, base, usd, tokens(1_000), tokens(2_100_000));
    String baseX = UniswapV2.createPair(c, a, base, x, tokens(1_000), tokens(1_000));
    String xY = UniswapV2.createPair(c, a, x, y, tokens(1_000), tokens(1_000));
    String yBase = UniswapV2.createPair(c, a, y, base, tokens(1_000), tokens(1_100));
    String baseZ = UniswapV2.createPair(c, b, base, z, tokens(1_000), tokens(5_000));
    String zUsd = UniswapV2.createPair(c, b, z, usd, tokens(5_000), tokens(2_000_000));
    return new ArbitrageWorld(
        a, b, weth, base, usd, x, y, z, baseUsdA, baseUsdB, baseX, xY, yBase, baseZ, zUsd);
  }
}
