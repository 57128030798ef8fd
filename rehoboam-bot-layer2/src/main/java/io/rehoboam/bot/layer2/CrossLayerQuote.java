package io.rehoboam.bot.layer2;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.Pool;
import io.rehoboam.spi.trade.Leg;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One cross-layer trade, sized and costed exactly: buy {@code otherAsset} with {@code amountIn} of
 * {@code startAsset} on the buy chain's pool, sell it on the sell chain's pool, and bring the
 * proceeds home to the buy chain (a bridge transfer that inventory mode models and bridge mode
 * executes; bridge mode also bridges what it bought from the buy chain to the sell chain).
 *
 * <p>Amounts are base units: {@code amountIn}, {@code proceeds}, {@code homeFee}, {@code gasCost},
 * {@code haircut} and {@code netProfit} of the start asset; {@code bought}, {@code outboundFee} and
 * {@code sold} of the other asset (an asset has the same decimals on every chain).
 *
 * @param buyPool the pool the start asset is swapped into, as scanned
 * @param sellPool the pool the other asset is swapped into, as scanned
 * @param bought what the buy swap takes out
 * @param outboundFee what the outbound bridge keeps of {@code bought} (bridge mode; 0 otherwise)
 * @param sold what the sell swap puts in: {@code bought - outboundFee}
 * @param proceeds what the sell swap takes out
 * @param homeFee what the home bridge keeps of {@code proceeds}
 * @param buyChainWei native-token costs on the buy chain: the swap transaction and, in bridge mode,
 *     the outbound deposit transaction and the bridge's fixed fee
 * @param sellChainWei native-token costs on the sell chain: the swap transaction, the home deposit
 *     transaction and the home bridge's fixed fee
 * @param gasCost both chains' native costs converted into the start asset (rounded up)
 * @param haircut the latency haircut of every transfer, on the value in flight ({@code proceeds})
 * @param netProfit {@code proceeds - homeFee - amountIn - gasCost - haircut}
 * @param sequence the higher of the two pools' update sequences
 */
public record CrossLayerQuote(
    Layer2Mode mode,
    String startAsset,
    String otherAsset,
    Pool buyPool,
    Pool sellPool,
    String startTokenBuy,
    String otherTokenBuy,
    String otherTokenSell,
    String startTokenSell,
    BigInteger amountIn,
    BigInteger bought,
    BigInteger outboundFee,
    BigInteger sold,
    BigInteger proceeds,
    BigInteger homeFee,
    BridgeTerms outboundBridge,
    BridgeTerms homeBridge,
    BigInteger buyChainWei,
    BigInteger sellChainWei,
    BigInteger gasCost,
    BigInteger haircut,
    BigInteger netProfit,
    long sequence) {

  public CrossLayerQuote {
    Checks.notNull(mode, "mode");
    Checks.notNull(buyPool, "buy_pool");
    Checks.notNull(sellPool, "sell_pool");
    Checks.check(
        (mode == Layer2Mode.BRIDGE) == (outboundBridge != null),
        "outbound_bridge",
        "is set exactly in bridge mode");
    Checks.notNull(homeBridge, "home_bridge");
    Checks.check(
        sold.equals(bought.subtract(outboundFee)), "sold", "must equal bought - outbound_fee");
    Checks.check(
        netProfit.equals(
            proceeds.subtract(homeFee).subtract(amountIn).subtract(gasCost).subtract(haircut)),
        "net_profit",
        "must equal proceeds - home_fee - amount_in - gas_cost - haircut");
  }

  public long buyChain() {
    return buyPool.chainId();
  }

  public long sellChain() {
    return sellPool.chainId();
  }

  /** What arrives home: {@code proceeds - homeFee}. */
  public BigInteger returned() {
    return proceeds.subtract(homeFee);
  }

  /** Every cost besides the pools and the bridges' percentage fees: gas cost plus haircut. */
  public BigInteger otherCosts() {
    return gasCost.add(haircut);
  }

  /** The bridge leg's pool id: {@code bridge:<name>:<from>-><to>}. */
  public static String bridgePoolId(BridgeTerms terms, long fromChain, long toChain) {
    return "bridge:" + terms.name() + ":" + CrossLayerConfig.direction(fromChain, toChain);
  }

  /**
   * This trade with a smaller (or larger) input, recomputed exactly on the same pools as scanned
   * and the same bridges; the gas cost is unchanged (it does not depend on the size) and the
   * haircut follows the new proceeds.
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT when a swap would give nothing
   */
  public CrossLayerQuote withAmountIn(BigInteger newAmountIn) {
    Checks.check(newAmountIn != null && newAmountIn.signum() > 0, "amount_in", "must be positive");
    boolean sIs0 = buyPool.token0().equals(startTokenBuy);
    boolean oIs0 = sellPool.token0().equals(otherTokenSell);
    BigInteger newBought =
        io.rehoboam.core.scan.AmmMath.amountOut(
            newAmountIn,
            sIs0 ? buyPool.reserve0() : buyPool.reserve1(),
            sIs0 ? buyPool.reserve1() : buyPool.reserve0(),
            buyPool.feeBps());
    BigInteger newOutboundFee =
        outboundBridge == null ? BigInteger.ZERO : outboundBridge.fee(newBought);
    BigInteger newSold = newBought.subtract(newOutboundFee);
    Checks.check(newSold.signum() > 0, "amount_in", "buys nothing: " + newAmountIn);
    BigInteger newProceeds =
        io.rehoboam.core.scan.AmmMath.amountOut(
            newSold,
            oIs0 ? sellPool.reserve0() : sellPool.reserve1(),
            oIs0 ? sellPool.reserve1() : sellPool.reserve0(),
            sellPool.feeBps());
    Checks.check(newProceeds.signum() > 0, "amount_in", "sells for nothing: " + newAmountIn);
    BigInteger newHomeFee = homeBridge.fee(newProceeds);
    BigInteger newHaircut =
        homeBridge
            .haircut(newProceeds)
            .add(outboundBridge == null ? BigInteger.ZERO : outboundBridge.haircut(newProceeds));
    return new CrossLayerQuote(
        mode,
        startAsset,
        otherAsset,
        buyPool,
        sellPool,
        startTokenBuy,
        otherTokenBuy,
        otherTokenSell,
        startTokenSell,
        newAmountIn,
        newBought,
        newOutboundFee,
        newSold,
        newProceeds,
        newHomeFee,
        outboundBridge,
        homeBridge,
        buyChainWei,
        sellChainWei,
        gasCost,
        newHaircut,
        newProceeds
            .subtract(newHomeFee)
            .subtract(newAmountIn)
            .subtract(gasCost)
            .subtract(newHaircut),
        sequence);
  }

  /** The dex of bridge legs. */
  public static final String BRIDGE_DEX = "bridge";

  /**
   * The opportunity's legs: the buy swap, (bridge mode) the outbound transfer, the sell swap, and
   * the home transfer. Each carries its chain id (a transfer: its origin chain).
   */
  public List<Leg> legs() {
    List<Leg> legs = new ArrayList<>(4);
    legs.add(
        new Leg(
            buyChain(),
            buyPool.dex(),
            buyPool.id(),
            startTokenBuy,
            otherTokenBuy,
            amountIn,
            bought));
    if (mode == Layer2Mode.BRIDGE) {
      legs.add(
          new Leg(
              buyChain(),
              BRIDGE_DEX,
              bridgePoolId(outboundBridge, buyChain(), sellChain()),
              otherTokenBuy,
              otherTokenSell,
              bought,
              sold));
    }
    legs.add(
        new Leg(
            sellChain(),
            sellPool.dex(),
            sellPool.id(),
            otherTokenSell,
            startTokenSell,
            sold,
            proceeds));
    legs.add(
        new Leg(
            sellChain(),
            BRIDGE_DEX,
            bridgePoolId(homeBridge, sellChain(), buyChain()),
            startTokenSell,
            startTokenBuy,
            proceeds,
            returned()));
    return List.copyOf(legs);
  }
}
