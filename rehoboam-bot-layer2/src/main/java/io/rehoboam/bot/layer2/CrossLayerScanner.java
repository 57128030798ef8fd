package io.rehoboam.bot.layer2;

import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.core.scan.AmmMath.VirtualPath;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.market.PoolUpdate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Finds cross-layer opportunities: the same asset pair priced differently on two chains.
 *
 * <p>It keeps the pools of every watched chain whose two tokens are both in the {@link AssetMap}
 * ({@link #apply} ignores the rest). A scan looks, for every asset pair on two or more chains,
 * every start asset of the pair, and every ordered pair of chains (buy chain, sell chain), at every
 * combination of a pool on the buy chain and a pool on the sell chain, and keeps the best: sized at
 * the exact optimum of the net profit (the two swaps and the bridges' percentage fees folded into
 * one {@link VirtualPath}, the haircut as a further share of the proceeds, then the integer inputs
 * around the real optimum evaluated with Uniswap's integer formula), capped by the inventory the
 * inputs say is available, and kept when its net profit reaches {@link
 * CrossLayerConfig#minNetProfit()}. A floating-point screen of the marginal prices skips the
 * combinations that cannot pay before any exact arithmetic.
 *
 * <p>Costs (see {@link CrossLayerQuote}): each chain's swap transaction at its own gas price plus
 * its L1 data fee, the deposit transaction and fixed fee of every bridge transfer on its origin
 * chain, converted into the start asset through quote prices when both are known, else through the
 * deepest pool of the native asset and the start asset on that chain; the bridges' percentage fees;
 * and the latency haircut. A combination whose costs cannot be converted is skipped and counted
 * ({@link #uncosted()}).
 *
 * <p>Not thread-safe: one thread applies updates and scans.
 */
public final class CrossLayerScanner {
  /** What a scan needs to know beyond the pools. */
  public interface Inputs {
    /** The decimals of {@code token} on {@code chainId}, if known. */
    OptionalInt decimals(long chainId, String token);

    /** The quote price of one whole {@code token} of {@code chainId}, if known. */
    Optional<BigDecimal> quotePrice(long chainId, String token);

    /** How many base units of {@code token} may be spent on {@code chainId}; null: no limit. */
    BigInteger available(long chainId, String token);
  }

  private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);
  private static final BigInteger SHARE_SCALE = BigInteger.TEN.pow(18);

  private record Entry(Pool pool, int chain, long sequence) {}

  /** The pools of one asset pair, by chain index. */
  private static final class PairBook {
    final int lo;
    final int hi;
    final List<LinkedHashMap<String, Entry>> byChain;

    PairBook(int lo, int hi, int chains) {
      this.lo = lo;
      this.hi = hi;
      this.byChain = new ArrayList<>(chains);
      for (int i = 0; i < chains; i++) {
        byChain.add(new LinkedHashMap<>());
      }
    }
  }

  private final CrossLayerConfig config;
  private final List<String> assetNames;
  private final Map<String, Integer> assetIndex = new HashMap<>();
  private final Map<Long, Integer> chainIndex = new HashMap<>();
  private final long[] chainIds;
  private final boolean[] startAsset;
  private final Map<String, Long> poolPair = new HashMap<>();
  private final Map<Long, PairBook> pairs = new LinkedHashMap<>();
  private final Set<Long> dirty = new LinkedHashSet<>();
  private final String[][] addresses;
  private final BridgeTerms[][] homeBridge;
  private final BridgeTerms[][] outboundBridge;
  private final double[][] keep;
  private final BigInteger[][] shareNum;
  private final BigInteger[][] buyWei;
  private final BigInteger[][] sellWei;
  private long uncosted;

  /**
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT when a direction between two chains
   *     has no bridge terms (its own or the default)
   */
  public CrossLayerScanner(CrossLayerConfig config) {
    this.config = Checks.notNull(config, "config");
    this.assetNames = config.assets().assets();
    for (int i = 0; i < assetNames.size(); i++) {
      assetIndex.put(assetNames.get(i), i);
    }
    this.chainIds = new long[config.chains().size()];
    for (int i = 0; i < chainIds.length; i++) {
      chainIds[i] = config.chains().get(i).chainId();
      chainIndex.put(chainIds[i], i);
    }
    this.startAsset = new boolean[assetNames.size()];
    for (String s : config.startAssets()) {
      startAsset[assetIndex.get(s)] = true;
    }
    // Everything that depends only on the asset and chain, or on the direction, computed once.
    int n = chainIds.length;
    addresses = new String[assetNames.size()][n];
    for (int a = 0; a < assetNames.size(); a++) {
      for (int c = 0; c < n; c++) {
        addresses[a][c] = config.assets().address(assetNames.get(a), chainIds[c]).orElse(null);
      }
    }
    homeBridge = new BridgeTerms[n][n];
    outboundBridge = new BridgeTerms[n][n];
    keep = new double[n][n];
    shareNum = new BigInteger[n][n];
    buyWei = new BigInteger[n][n];
    sellWei = new BigInteger[n][n];
    for (int buy = 0; buy < n; buy++) {
      for (int sell = 0; sell < n; sell++) {
        if (buy == sell) {
          continue;
        }
        BridgeTerms home = config.bridge(chainIds[sell], chainIds[buy]);
        BridgeTerms outbound =
            config.mode() == Layer2Mode.BRIDGE
                ? config.bridge(chainIds[buy], chainIds[sell])
                : null;
        homeBridge[buy][sell] = home;
        outboundBridge[buy][sell] = outbound;
        keep[buy][sell] =
            (1 - home.feeBps() / 10_000.0)
                    * (outbound == null ? 1 : 1 - outbound.feeBps() / 10_000.0)
                - home.haircutRate().doubleValue()
                - (outbound == null ? 0 : outbound.haircutRate().doubleValue());
        BigDecimal share =
            BigDecimal.ONE
                .subtract(BigDecimal.valueOf(home.feeBps()).movePointLeft(4))
                .subtract(home.haircutRate())
                .subtract(outbound == null ? BigDecimal.ZERO : outbound.haircutRate());
        shareNum[buy][sell] =
            share
                .multiply(new BigDecimal(SHARE_SCALE))
                .setScale(0, RoundingMode.FLOOR)
                .toBigInteger();
        buyWei[buy][sell] = buyChainWei(chainIds[buy], outbound);
        sellWei[buy][sell] = sellChainWei(chainIds[sell], home);
      }
    }
  }

  public CrossLayerConfig config() {
    return config;
  }

  /**
   * Takes one pool update. Pools of unwatched chains and pools whose tokens are not both mapped
   * assets are ignored.
   *
   * @return whether the update concerned a watched pool (its pair is then due for a rescan)
   */
  public boolean apply(PoolUpdate update) {
    Pool pool = update.pool();
    Integer chain = chainIndex.get(pool.chainId());
    if (chain == null) {
      return false;
    }
    Long key = poolPair.get(pool.id());
    if (update.kind() == PoolUpdate.Kind.REMOVED) {
      if (key == null) {
        return false;
      }
      poolPair.remove(pool.id());
      pairs.get(key).byChain.get(chain).remove(pool.id());
      dirty.add(key);
      return true;
    }
    if (key == null) {
      Optional<String> a0 = config.assets().assetOf(pool.chainId(), pool.token0());
      Optional<String> a1 = config.assets().assetOf(pool.chainId(), pool.token1());
      if (a0.isEmpty() || a1.isEmpty() || a0.get().equals(a1.get())) {
        return false;
      }
      int i0 = assetIndex.get(a0.get());
      int i1 = assetIndex.get(a1.get());
      int lo = Math.min(i0, i1);
      int hi = Math.max(i0, i1);
      key = ((long) lo << 32) | hi;
      poolPair.put(pool.id(), key);
      pairs.computeIfAbsent(key, k -> new PairBook(lo, hi, chainIds.length));
    }
    if (pool.reserve0().signum() > 0 && pool.reserve1().signum() > 0) {
      pairs.get(key).byChain.get(chain).put(pool.id(), new Entry(pool, chain, update.sequence()));
    } else {
      pairs.get(key).byChain.get(chain).remove(pool.id());
    }
    dirty.add(key);
    return true;
  }

  /** The sequence of the last update of a watched pool, -1 when it is not watched. */
  public long sequenceOf(String poolId) {
    Long key = poolPair.get(poolId);
    if (key == null) {
      return -1;
    }
    for (LinkedHashMap<String, Entry> pools : pairs.get(key).byChain) {
      Entry e = pools.get(poolId);
      if (e != null) {
        return e.sequence();
      }
    }
    return -1;
  }

  /** Watched pools (both tokens mapped, on a watched chain). */
  public int poolCount() {
    return poolPair.size();
  }

  /** Asset pairs with a pool on two or more chains. */
  public int crossChainPairs() {
    int n = 0;
    for (PairBook book : pairs.values()) {
      int chains = 0;
      for (LinkedHashMap<String, Entry> pools : book.byChain) {
        chains += pools.isEmpty() ? 0 : 1;
      }
      n += chains >= 2 ? 1 : 0;
    }
    return n;
  }

  /** Combinations skipped so far because their costs could not be converted. */
  public long uncosted() {
    return uncosted;
  }

  /** Scans every asset pair; clears what {@link #apply} marked. Best net profit first. */
  public List<CrossLayerQuote> scanAll(Inputs inputs) {
    dirty.clear();
    return scan(new ArrayList<>(pairs.values()), inputs);
  }

  /** Scans the asset pairs touched since the last scan. Best net profit first. */
  public List<CrossLayerQuote> scanChanged(Inputs inputs) {
    List<PairBook> books = new ArrayList<>(dirty.size());
    for (Long key : dirty) {
      books.add(pairs.get(key));
    }
    dirty.clear();
    return scan(books, inputs);
  }

  /** The keys {@code "<start>/<other>:<buy chain>-><sell chain>"} a rescan of the pairs covers. */
  public static String key(CrossLayerQuote q) {
    return key(q.startAsset(), q.otherAsset(), q.buyChain(), q.sellChain());
  }

  static String key(String start, String other, long buyChain, long sellChain) {
    return start + "/" + other + ":" + CrossLayerConfig.direction(buyChain, sellChain);
  }

  /**
   * The asset pairs ({@link #pairName}) the last {@link #scanChanged} or {@link #scanAll} scanned
   * in every direction: the caller expires what it published for a scanned pair that the scan no
   * longer returned.
   */
  public Set<String> lastScannedPairs() {
    return lastScanned;
  }

  /** The name of the pair of two assets, the same in either order. */
  public String pairName(String assetA, String assetB) {
    Integer a = assetIndex.get(assetA);
    Integer b = assetIndex.get(assetB);
    Checks.check(
        a != null && b != null, "asset", "not in the asset map: " + assetA + ", " + assetB);
    return a < b ? assetA + "|" + assetB : assetB + "|" + assetA;
  }

  private Set<String> lastScanned = Set.of();

  private List<CrossLayerQuote> scan(List<PairBook> books, Inputs inputs) {
    List<CrossLayerQuote> out = new ArrayList<>();
    Set<String> scanned = new LinkedHashSet<>();
    Map<String, Optional<BigInteger>> costCache = new HashMap<>();
    for (PairBook book : books) {
      scanned.add(assetNames.get(book.lo) + "|" + assetNames.get(book.hi));
      for (int side = 0; side < 2; side++) {
        int s = side == 0 ? book.lo : book.hi;
        int o = side == 0 ? book.hi : book.lo;
        if (!startAsset[s]) {
          continue;
        }
        for (int buy = 0; buy < chainIds.length; buy++) {
          for (int sell = 0; sell < chainIds.length; sell++) {
            if (buy == sell) {
              continue;
            }
            if (book.byChain.get(buy).isEmpty() || book.byChain.get(sell).isEmpty()) {
              continue;
            }
            CrossLayerQuote best = best(book, s, o, buy, sell, inputs, costCache);
            if (best != null) {
              out.add(best);
            }
          }
        }
      }
    }
    lastScanned = scanned;
    out.sort((a, b) -> b.netProfit().compareTo(a.netProfit()));
    return out;
  }

  private CrossLayerQuote best(
      PairBook book,
      int s,
      int o,
      int buy,
      int sell,
      Inputs inputs,
      Map<String, Optional<BigInteger>> costCache) {
    String startName = assetNames.get(s);
    String otherName = assetNames.get(o);
    long buyChain = chainIds[buy];
    long sellChain = chainIds[sell];
    String sBuy = addresses[s][buy];
    String oBuy = addresses[o][buy];
    String oSell = addresses[o][sell];
    String sSell = addresses[s][sell];
    BridgeTerms home = homeBridge[buy][sell];
    BridgeTerms outbound = outboundBridge[buy][sell];
    double keep = this.keep[buy][sell];
    if (keep <= 0) {
      return null;
    }
    CrossLayerQuote best = null;
    for (Entry a : book.byChain.get(buy).values()) {
      Pool pa = a.pool();
      boolean sIs0 = pa.token0().equals(sBuy);
      double rateBuy =
          (sIs0
                  ? pa.reserve1().doubleValue() / pa.reserve0().doubleValue()
                  : pa.reserve0().doubleValue() / pa.reserve1().doubleValue())
              * (1 - pa.feeBps() / 10_000.0);
      for (Entry b : book.byChain.get(sell).values()) {
        Pool pb = b.pool();
        boolean oIs0 = pb.token0().equals(oSell);
        double rateSell =
            (oIs0
                    ? pb.reserve1().doubleValue() / pb.reserve0().doubleValue()
                    : pb.reserve0().doubleValue() / pb.reserve1().doubleValue())
                * (1 - pb.feeBps() / 10_000.0);
        // The marginal round trip must pay more than the proportional costs; a hair of slack keeps
        // double rounding from hiding a real (tiny) edge.
        if (rateBuy * rateSell * keep <= 1 - 1e-9) {
          continue;
        }
        Optional<BigInteger> gas =
            costCache.computeIfAbsent(
                s + ":" + buy + ":" + sell,
                k -> gasCost(startName, buyChain, sellChain, home, outbound, inputs));
        if (gas.isEmpty()) {
          uncosted++;
          continue;
        }
        CrossLayerQuote q =
            size(
                pa,
                sIs0,
                pb,
                oIs0,
                sBuy,
                oBuy,
                oSell,
                sSell,
                startName,
                otherName,
                buy,
                sell,
                gas.get(),
                Math.max(a.sequence(), b.sequence()),
                inputs);
        if (q != null && (best == null || q.netProfit().compareTo(best.netProfit()) > 0)) {
          best = q;
        }
      }
    }
    return best;
  }

  private CrossLayerQuote size(
      Pool pa,
      boolean sIs0,
      Pool pb,
      boolean oIs0,
      String sBuy,
      String oBuy,
      String oSell,
      String sSell,
      String startName,
      String otherName,
      int buy,
      int sell,
      BigInteger gasCost,
      long sequence,
      Inputs inputs) {
    BridgeTerms home = homeBridge[buy][sell];
    BridgeTerms outbound = outboundBridge[buy][sell];
    BigInteger rsA = sIs0 ? pa.reserve0() : pa.reserve1();
    BigInteger roA = sIs0 ? pa.reserve1() : pa.reserve0();
    BigInteger roB = oIs0 ? pb.reserve0() : pb.reserve1();
    BigInteger rsB = oIs0 ? pb.reserve1() : pb.reserve0();
    VirtualPath path = VirtualPath.identity().then(rsA, roA, pa.feeBps());
    if (outbound != null) {
      path =
          scale(path, TEN_THOUSAND.subtract(BigInteger.valueOf(outbound.feeBps())), TEN_THOUSAND);
    }
    path = path.then(roB, rsB, pb.feeBps());
    BigInteger share = shareNum[buy][sell];
    if (share.signum() <= 0) {
      return null;
    }
    path = scale(path, share, SHARE_SCALE);
    BigInteger optimum = path.optimalInput();
    if (optimum.signum() <= 0) {
      return null;
    }
    BigInteger cap = cap(pa.chainId(), sBuy, pb.chainId(), oSell, rsA, roA, pa.feeBps(), inputs);
    if (cap != null && cap.signum() <= 0) {
      return null;
    }
    CrossLayerQuote best = null;
    for (int d = -1; d <= 1; d++) {
      BigInteger amountIn = optimum.add(BigInteger.valueOf(d));
      if (cap != null && amountIn.compareTo(cap) > 0) {
        amountIn = cap;
      }
      if (amountIn.signum() <= 0) {
        continue;
      }
      CrossLayerQuote q =
          evaluate(
              amountIn,
              pa,
              rsA,
              roA,
              pb,
              roB,
              rsB,
              sBuy,
              oBuy,
              oSell,
              sSell,
              startName,
              otherName,
              home,
              outbound,
              buyWei[buy][sell],
              sellWei[buy][sell],
              gasCost,
              sequence);
      if (q != null && (best == null || q.netProfit().compareTo(best.netProfit()) > 0)) {
        best = q;
      }
    }
    return best != null && best.netProfit().compareTo(config.minNetProfit()) >= 0 ? best : null;
  }

  /** The most the buy leg may put in given the inventory; null: no limit. */
  private BigInteger cap(
      long buyChain,
      String sBuy,
      long sellChain,
      String oSell,
      BigInteger rsA,
      BigInteger roA,
      int feeA,
      Inputs inputs) {
    BigInteger cap = inputs.available(buyChain, sBuy);
    if (config.mode() == Layer2Mode.INVENTORY) {
      BigInteger other = inputs.available(sellChain, oSell);
      if (other != null) {
        // The largest input whose output the sell chain's inventory can match.
        BigInteger limit =
            other.add(BigInteger.ONE).compareTo(roA) >= 0
                ? null
                : AmmMath.amountIn(other.add(BigInteger.ONE), rsA, roA, feeA)
                    .subtract(BigInteger.ONE);
        if (limit != null) {
          cap = cap == null ? limit : cap.min(limit);
        }
      }
    }
    return cap;
  }

  /** The exact trade for {@code amountIn}; null when a swap would give nothing. */
  CrossLayerQuote evaluate(
      BigInteger amountIn,
      Pool pa,
      BigInteger rsA,
      BigInteger roA,
      Pool pb,
      BigInteger roB,
      BigInteger rsB,
      String sBuy,
      String oBuy,
      String oSell,
      String sSell,
      String startName,
      String otherName,
      BridgeTerms home,
      BridgeTerms outbound,
      BigInteger buyChainWei,
      BigInteger sellChainWei,
      BigInteger gasCost,
      long sequence) {
    BigInteger bought = AmmMath.amountOut(amountIn, rsA, roA, pa.feeBps());
    if (bought.signum() == 0) {
      return null;
    }
    BigInteger outboundFee = outbound == null ? BigInteger.ZERO : outbound.fee(bought);
    BigInteger sold = bought.subtract(outboundFee);
    if (sold.signum() <= 0) {
      return null;
    }
    BigInteger proceeds = AmmMath.amountOut(sold, roB, rsB, pb.feeBps());
    if (proceeds.signum() == 0) {
      return null;
    }
    BigInteger homeFee = home.fee(proceeds);
    BigInteger haircut =
        home.haircut(proceeds).add(outbound == null ? BigInteger.ZERO : outbound.haircut(proceeds));
    BigInteger net =
        proceeds.subtract(homeFee).subtract(amountIn).subtract(gasCost).subtract(haircut);
    return new CrossLayerQuote(
        config.mode(),
        startName,
        otherName,
        pa,
        pb,
        sBuy,
        oBuy,
        oSell,
        sSell,
        amountIn,
        bought,
        outboundFee,
        sold,
        proceeds,
        homeFee,
        outbound,
        home,
        buyChainWei,
        sellChainWei,
        gasCost,
        haircut,
        net,
        sequence);
  }

  private BigInteger buyChainWei(long buyChain, BridgeTerms outbound) {
    ChainCosts c = config.chain(buyChain);
    BigInteger wei = c.swapWei();
    if (outbound != null) {
      wei = wei.add(c.transactionWei(outbound.depositGas())).add(outbound.fixedFeeWei());
    }
    return wei;
  }

  private BigInteger sellChainWei(long sellChain, BridgeTerms home) {
    ChainCosts c = config.chain(sellChain);
    return c.swapWei().add(c.transactionWei(home.depositGas())).add(home.fixedFeeWei());
  }

  private Optional<BigInteger> gasCost(
      String startName,
      long buyChain,
      long sellChain,
      BridgeTerms home,
      BridgeTerms outbound,
      Inputs inputs) {
    Optional<BigInteger> onBuy =
        toStart(buyChainWei(buyChain, outbound), buyChain, startName, buyChain, inputs);
    Optional<BigInteger> onSell =
        toStart(sellChainWei(sellChain, home), sellChain, startName, buyChain, inputs);
    return onBuy.isEmpty() || onSell.isEmpty()
        ? Optional.empty()
        : Optional.of(onBuy.get().add(onSell.get()));
  }

  /**
   * {@code wei} of {@code chainId}'s native asset in base units of the start asset (rounded up):
   * the same asset scales by decimals; else quote prices; else the deepest pool of the two on that
   * chain.
   */
  private Optional<BigInteger> toStart(
      BigInteger wei, long chainId, String startName, long startChain, Inputs inputs) {
    if (wei.signum() == 0) {
      return Optional.of(BigInteger.ZERO);
    }
    String nativeName = config.chain(chainId).nativeAsset();
    Optional<String> nativeToken = config.assets().address(nativeName, chainId);
    String startToken = config.assets().address(startName, startChain).orElseThrow();
    OptionalInt startDecimals = inputs.decimals(startChain, startToken);
    if (startDecimals.isEmpty()) {
      return Optional.empty();
    }
    // Native coins have 18 decimals, as their wrapped tokens do.
    int nativeDecimals = 18;
    if (nativeName.equals(startName)) {
      return Optional.of(
          ceil(new BigDecimal(wei).movePointLeft(nativeDecimals - startDecimals.getAsInt())));
    }
    if (nativeToken.isEmpty()) {
      return Optional.empty();
    }
    Optional<BigDecimal> nativePrice = inputs.quotePrice(chainId, nativeToken.get());
    Optional<BigDecimal> startPrice = inputs.quotePrice(startChain, startToken);
    if (nativePrice.isPresent() && startPrice.isPresent() && startPrice.get().signum() > 0) {
      BigDecimal value =
          new BigDecimal(wei).movePointLeft(nativeDecimals).multiply(nativePrice.get());
      return Optional.of(
          ceil(
              value
                  .divide(startPrice.get(), MathContext.DECIMAL128)
                  .movePointRight(startDecimals.getAsInt())));
    }
    Optional<String> startOnChain = config.assets().address(startName, chainId);
    if (startOnChain.isEmpty()) {
      return Optional.empty();
    }
    Integer n = assetIndex.get(nativeName);
    Integer st = assetIndex.get(startName);
    if (n == null || st == null) {
      return Optional.empty();
    }
    PairBook book = pairs.get(((long) Math.min(n, st) << 32) | Math.max(n, st));
    if (book == null) {
      return Optional.empty();
    }
    Pool deepest = null;
    BigInteger depth = BigInteger.ZERO;
    for (Entry e : book.byChain.get(chainIndex.get(chainId)).values()) {
      BigInteger r =
          e.pool().token0().equals(nativeToken.get()) ? e.pool().reserve0() : e.pool().reserve1();
      if (r.compareTo(depth) > 0) {
        depth = r;
        deepest = e.pool();
      }
    }
    if (deepest == null) {
      return Optional.empty();
    }
    boolean nativeIs0 = deepest.token0().equals(nativeToken.get());
    BigInteger rNative = nativeIs0 ? deepest.reserve0() : deepest.reserve1();
    BigInteger rStart = nativeIs0 ? deepest.reserve1() : deepest.reserve0();
    BigInteger[] qr = wei.multiply(rStart).divideAndRemainder(rNative);
    return Optional.of(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
  }

  private static BigInteger ceil(BigDecimal value) {
    return value.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
  }

  private static VirtualPath scale(VirtualPath p, BigInteger num, BigInteger den) {
    return new VirtualPath(p.a().multiply(num), p.b().multiply(den), p.c().multiply(den));
  }
}
