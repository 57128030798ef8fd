package io.rehoboam.bot.layer2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.scan.AmmMath;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.LegExecution;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * The proof on two real local chains: an L1 (chain 1) and an L2 (chain 10) on two anvil nodes, the
 * same two tokens and a Uniswap V2 pool of them on each at different prices. The bot watches both
 * through evm market sources and trades live from inventory held by one account on both chains.
 *
 * <p>One test walks through the phases in order (each needs the state the previous one left): a gap
 * below the costs is not an opportunity; the same pool moved above the line is found and executed,
 * and the token balances the test reads on each chain move by exactly the predicted legs; then a
 * second leg is made to fail by a transaction mined before it in the same block (the L1 stops
 * automining while the bot's leg waits in its mempool), and the filled first leg is unwound as the
 * policy says.
 */
class Layer2AnvilIT {
  static final long L1 = 1;
  static final long L2 = 10;
  static final BigInteger ONE = BigInteger.TEN.pow(18);
  static final BigInteger MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  static AnvilNode l1;
  static AnvilNode l2;
  static ChainClient deployer1;
  static ChainClient deployer2;
  static ChainClient trader1;
  static ChainClient trader2;
  static String weth;
  static String usdc;
  static UniswapV2.Dex dex1;
  static UniswapV2.Dex dex2;
  static String pair1;
  static String pair2;

  @BeforeAll
  static void deploy() {
    l1 = AnvilNode.start(new AnvilNode.Options(L1, 3, 1_000_000, true, true));
    l2 = AnvilNode.start(new AnvilNode.Options(L2, 3, 1_000_000, true, true));
    deployer1 = ChainClient.connect(l1, 0);
    deployer2 = ChainClient.connect(l2, 0);
    trader1 = ChainClient.connect(l1, 1);
    trader2 = ChainClient.connect(l2, 1);
    // The same deployer with the same nonces: the tokens get the same addresses on both chains,
    // as canonical deployments often do; the bot keys everything by chain and address.
    weth = UniswapV2.deployToken(deployer1, ONE.multiply(BigInteger.TEN.pow(12)));
    usdc = UniswapV2.deployToken(deployer1, ONE.multiply(BigInteger.TEN.pow(12)));
    assertEquals(weth, UniswapV2.deployToken(deployer2, ONE.multiply(BigInteger.TEN.pow(12))));
    assertEquals(usdc, UniswapV2.deployToken(deployer2, ONE.multiply(BigInteger.TEN.pow(12))));
    dex1 = UniswapV2.deployDex(deployer1, "uniswap_v2", weth);
    dex2 = UniswapV2.deployDex(deployer2, "uniswap_v2", weth);
    // WETH at 2000 USDC on the L1; on the L2 just below the line: the highest price (in steps of
    // 0.5 USDC) at which the bot's own cost model finds nothing, although the pools alone would
    // pay.
    pair1 = UniswapV2.createPair(deployer1, dex1, weth, usdc, whole(1000), whole(2_000_000));
    long usdcOnL2 = 2_000_000;
    while (scan(costed(), whole(2_000_000), whole(usdcOnL2 + 1000)).isEmpty()) {
      usdcOnL2 += 1000;
    }
    BigInteger belowLine = whole(usdcOnL2 + 1000).subtract(ONE.multiply(BigInteger.valueOf(500)));
    if (!scan(costed(), whole(2_000_000), belowLine).isEmpty()) {
      belowLine = whole(usdcOnL2);
    }
    pair2 = UniswapV2.createPair(deployer2, dex2, weth, usdc, whole(1000), belowLine);
    for (ChainClient[] c :
        List.of(
            new ChainClient[] {deployer1, trader1, null},
            new ChainClient[] {deployer2, trader2, null})) {
      c[0].transfer(weth, c[1].address(), whole(100));
      c[0].transfer(usdc, c[1].address(), whole(300_000));
    }
    trader1.approve(weth, dex1.router(), MAX);
    trader1.approve(usdc, dex1.router(), MAX);
    trader2.approve(weth, dex2.router(), MAX);
    trader2.approve(usdc, dex2.router(), MAX);
    deployer1.approve(usdc, dex1.router(), MAX);
    deployer2.approve(usdc, dex2.router(), MAX);
  }

  @AfterAll
  static void stopNodes() {
    for (AutoCloseable c : new AutoCloseable[] {deployer1, deployer2, trader1, trader2, l1, l2}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The bot's cost model as configured below (chains, bridge), for the test's own scans. */
  static CrossLayerConfig costed() {
    BigInteger gwei = BigInteger.TEN.pow(9);
    return new CrossLayerConfig(
        new AssetMap(
            Map.of("WETH", Map.of(L1, weth, L2, weth), "USDC", Map.of(L1, usdc, L2, usdc))),
        List.of(
            new ChainCosts(
                L1, gwei.multiply(BigInteger.valueOf(20)), 120_000, BigInteger.ZERO, "WETH"),
            new ChainCosts(
                L2,
                gwei.divide(BigInteger.valueOf(100)),
                120_000,
                BigInteger.valueOf(30_000_000_000_000L),
                "WETH")),
        Map.of(
            "default",
            new BridgeTerms(
                "canonical",
                5,
                BigInteger.valueOf(100_000_000_000_000L),
                100_000,
                java.time.Duration.ofMinutes(10),
                new BigDecimal("0.1"))),
        Layer2Mode.INVENTORY,
        List.of("WETH"),
        BigInteger.ONE);
  }

  /** No costs but the pools: what the gap pays before gas, bridge and haircut. */
  static CrossLayerConfig poolsOnly() {
    return new CrossLayerConfig(
        new AssetMap(
            Map.of("WETH", Map.of(L1, weth, L2, weth), "USDC", Map.of(L1, usdc, L2, usdc))),
        List.of(
            new ChainCosts(L1, BigInteger.ZERO, 0, BigInteger.ZERO, "WETH"),
            new ChainCosts(L2, BigInteger.ZERO, 0, BigInteger.ZERO, "WETH")),
        Map.of(
            "default",
            new BridgeTerms(
                "free", 0, BigInteger.ZERO, 0, java.time.Duration.ZERO, BigDecimal.ZERO)),
        Layer2Mode.INVENTORY,
        List.of("WETH"),
        BigInteger.ONE);
  }

  /** Scans a WETH/USDC pool on each chain holding 1000 WETH and the given USDC. */
  static List<CrossLayerQuote> scan(
      CrossLayerConfig config, BigInteger usdcOnL1, BigInteger usdcOnL2) {
    return scan(
        config, new BigInteger[] {whole(1000), usdcOnL1}, new BigInteger[] {whole(1000), usdcOnL2});
  }

  /** Scans the two pools with reserves {weth, usdc}. */
  static List<CrossLayerQuote> scan(CrossLayerConfig config, BigInteger[] onL1, BigInteger[] onL2) {
    CrossLayerScanner scanner = new CrossLayerScanner(config);
    scanner.apply(
        PoolUpdate.added(
            new io.rehoboam.spi.market.Pool(
                "1:p", L1, "uniswap_v2", "0x01", weth, usdc, onL1[0], onL1[1], 30),
            1));
    scanner.apply(
        PoolUpdate.added(
            new io.rehoboam.spi.market.Pool(
                "10:p", L2, "uniswap_v2", "0x02", weth, usdc, onL2[0], onL2[1], 30),
            1));
    return scanner.scanAll(
        new CrossLayerScanner.Inputs() {
          @Override
          public java.util.OptionalInt decimals(long chainId, String token) {
            return java.util.OptionalInt.of(18);
          }

          @Override
          public java.util.Optional<BigDecimal> quotePrice(long chainId, String token) {
            return java.util.Optional.empty();
          }

          @Override
          public BigInteger available(long chainId, String token) {
            return null;
          }
        });
  }

  static BigInteger whole(long units) {
    return ONE.multiply(BigInteger.valueOf(units));
  }

  private String config() {
    return """
        sources:
          l1: {type: evm, rpc_url: "%s", chain_id: 1, pools: ["%s"], poll_interval: 100ms}
          l2: {type: evm, rpc_url: "%s", chain_id: 10, pools: ["%s"], poll_interval: 100ms}
        risk:
          max_trade_input: 100000000
          max_trades_per_minute: 2
        bots:
          - id: l2bot
            type: layer2
            autostart: true
            settings:
              mode: inventory
              failure_policy: unwind
              max_unwind_loss_bps: 100
              start_assets: [WETH]
              quote_prices: {WETH: 2000, USDC: 1}
              assets:
                WETH: {1: "%s", 10: "%s"}
                USDC: {1: "%s", 10: "%s"}
              bridges:
                default: {name: canonical, fee_bps: 5, fixed_fee_wei: 100000000000000, deposit_gas: 100000, settlement: 10m, haircut_bps_per_minute: 0.1}
              chains:
                - {chain_id: 1, source: l1, gas_price_gwei: 20, gas_per_swap: 120000, rpc_url: "%s", private_key: "%s", routers: {uniswap_v2: "%s"}, poll_interval: 50ms}
                - {chain_id: 10, source: l2, gas_price_gwei: 0.01, gas_per_swap: 120000, l1_data_fee_wei: 30000000000000, rpc_url: "%s", private_key: "%s", routers: {uniswap_v2: "%s"}, poll_interval: 50ms}
        """
        .formatted(
            l1.rpcUrl(),
            pair1,
            l2.rpcUrl(),
            pair2,
            weth,
            weth,
            usdc,
            usdc,
            l1.rpcUrl(),
            l1.privateKeys().get(1),
            dex1.router(),
            l2.rpcUrl(),
            l2.privateKeys().get(1),
            dex2.router());
  }

  /** The modelled native costs of the trade, in wei: what the prediction must charge. */
  static BigInteger expectedGasWei() {
    BigInteger gwei = BigInteger.TEN.pow(9);
    // L2 (buy chain): one swap at 0.01 gwei plus its L1 data fee.
    BigInteger onL2 =
        gwei.divide(BigInteger.valueOf(100))
            .multiply(BigInteger.valueOf(120_000))
            .add(BigInteger.valueOf(30_000_000_000_000L));
    // L1 (sell chain): the swap, the home transfer's deposit at 20 gwei, and the bridge's fixed
    // fee.
    BigInteger onL1 =
        gwei.multiply(BigInteger.valueOf(20))
            .multiply(BigInteger.valueOf(220_000))
            .add(BigInteger.valueOf(100_000_000_000_000L));
    return onL1.add(onL2);
  }

  @Test
  void findsOnlyWhatPaysTradesLiveToTheWeiAndUnwindsAFailedSecondLeg() throws Exception {
    Events events = new Events();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .config(ConfigLoader.parse(config(), "anvil.yaml", Map.of()))
            .env(Map.of())
            .build()) {
      service.subscribe(events);
      service.initialize();
      try {
        walkThrough(service, events);
      } catch (AssertionError e) {
        // What the bot saw and did, for whoever reads the failure.
        for (var event : events.all()) {
          System.out.println(event);
        }
        throw e;
      }
    }
  }

  private void walkThrough(ArbitrageService service, Events events) throws Exception {
    {

      // Below the line: the gap on chain pays the pools' fees but not the other costs; both pools
      // watched, nothing found.
      assertTrue(
          scan(costed(), reserves(trader1, pair1, weth), reserves(trader2, pair2, weth)).isEmpty());
      assertEquals(
          1,
          scan(poolsOnly(), reserves(trader1, pair1, weth), reserves(trader2, pair2, weth)).size());
      events.await(
          BotLogEvent.class,
          e -> e.message().startsWith("layer2.scan {\"watched_pools\":2,\"cross_chain_pairs\":1"));
      assertTrue(events.matching(OpportunityFoundEvent.class, e -> true).isEmpty());

      // Above the line: WETH about 4.5% dearer on the L2.
      Map<String, BigInteger> before = balances();
      BigInteger[] r1 = reserves(trader1, pair1, weth);
      UniswapV2.swapExactTokensForTokens(deployer2, dex2, whole(45_000), List.of(usdc, weth));
      BigInteger[] r2 = reserves(trader2, pair2, weth);
      ExecutionEvent first =
          events.await(
              ExecutionEvent.class,
              e -> "l2bot".equals(e.botId()) && e.execution().status().isTerminal());
      Execution execution = first.execution();
      assertEquals(ExecutionStatus.CONFIRMED, execution.status(), execution.toString());
      assertEquals(
          List.of(ExecutionStatus.CONFIRMED, ExecutionStatus.CONFIRMED),
          execution.legs().stream().map(LegExecution::status).toList());
      assertEquals(2, execution.txHashes().size());
      Opportunity o =
          events
              .await(
                  OpportunityFoundEvent.class,
                  e -> e.opportunity().id().equals(execution.opportunityId()))
              .opportunity();
      Leg buy = o.legs().get(0);
      Leg sell = o.legs().get(1);
      Leg home = o.legs().get(2);
      assertEquals(L2, buy.chainId());
      assertEquals(L1, sell.chainId());
      // The prediction is each chain's own pool math on the reserves the test read.
      assertEquals(AmmMath.amountOut(buy.amountIn(), r2[0], r2[1], 30), buy.amountOut());
      assertEquals(AmmMath.amountOut(sell.amountIn(), r1[1], r1[0], 30), sell.amountOut());
      // The gross token deltas on each chain equal the predicted legs, to the wei.
      Map<String, BigInteger> after = balances();
      assertEquals(buy.amountIn().negate(), after.get("l2weth").subtract(before.get("l2weth")));
      assertEquals(buy.amountOut(), after.get("l2usdc").subtract(before.get("l2usdc")));
      assertEquals(sell.amountIn().negate(), after.get("l1usdc").subtract(before.get("l1usdc")));
      assertEquals(sell.amountOut(), after.get("l1weth").subtract(before.get("l1weth")));
      // The modelled costs no chain charged: the home bridge's 5 bps, the haircut of 0.1 bps a
      // minute for 10 minutes, the gas and fees of both chains (WETH is the native asset: wei).
      BigInteger proceeds = sell.amountOut();
      assertEquals(
          proceeds.subtract(ceil(proceeds.multiply(BigInteger.valueOf(5)), 10_000)),
          home.amountOut());
      assertEquals(o.amountOut(), home.amountOut());
      BigInteger haircut =
          new BigDecimal(proceeds)
              .multiply(new BigDecimal("0.0001"))
              .setScale(0, RoundingMode.CEILING)
              .toBigIntegerExact();
      assertEquals(expectedGasWei().add(haircut), o.gasCost());
      assertEquals(o.netProfit(), execution.realizedProfit());
      assertTrue(o.netProfit().signum() > 0);

      // A failed second leg: the L1 stops mining; the bot's L1 leg waits in the mempool while a
      // transaction paying a higher gas price moves the L1 price against it; both are mined in
      // one block, the other first.
      deployer1.rpc("evm_setAutomine", false);
      BigInteger traderNonce = nonce(trader1, DefaultBlockParameterName.LATEST);
      Map<String, BigInteger> before2 = balances();
      UniswapV2.swapExactTokensForTokens(deployer2, dex2, whole(45_000), List.of(usdc, weth));
      while (nonce(trader1, DefaultBlockParameterName.PENDING).equals(traderNonce)) {
        Thread.onSpinWait();
      }
      frontRun();
      deployer1.rpc("evm_mine");
      deployer1.rpc("evm_setAutomine", true);
      ExecutionEvent second =
          events.await(
              ExecutionEvent.class,
              e ->
                  "l2bot".equals(e.botId())
                      && e.execution().status().isTerminal()
                      && !e.execution().id().equals(execution.id()));
      Execution failed = second.execution();
      assertEquals(ExecutionStatus.FAILED, failed.status(), failed.toString());
      assertEquals(
          List.of(ExecutionStatus.CONFIRMED, ExecutionStatus.REVERTED, ExecutionStatus.CONFIRMED),
          failed.legs().stream().map(LegExecution::status).toList());
      assertTrue(
          failed.legs().get(1).reason().contains("INSUFFICIENT_OUTPUT_AMOUNT"),
          failed.legs().get(1).reason());
      assertTrue(failed.reason().contains("unwound on chain 10"), failed.reason());
      events.await(
          BotLogEvent.class,
          e ->
              e.message().startsWith("layer2.position ")
                  && e.message().contains("\"state\":\"unwound\""));
      Map<String, BigInteger> after2 = balances();
      // The reverted L1 leg moved nothing; on the L2 the USDC bought was sold back; the WETH lost
      // to two pool fees is the recorded loss (before the modelled gas).
      assertEquals(before2.get("l1weth"), after2.get("l1weth"));
      assertEquals(before2.get("l1usdc"), after2.get("l1usdc"));
      assertEquals(before2.get("l2usdc"), after2.get("l2usdc"));
      Opportunity o2 =
          events
              .await(
                  OpportunityFoundEvent.class,
                  e -> e.opportunity().id().equals(failed.opportunityId()))
              .opportunity();
      assertEquals(
          failed.realizedProfit().add(o2.gasCost().subtract(haircutOf(o2))),
          after2.get("l2weth").subtract(before2.get("l2weth")));
      assertTrue(failed.realizedProfit().signum() < 0);
      assertTrue(
          service.bot("l2bot").health().message().contains("open positions 0"),
          service.bot("l2bot").health().message());
    }
  }

  /** The haircut part of an opportunity's gas cost (the rest is gas and fixed fees). */
  private static BigInteger haircutOf(Opportunity o) {
    return o.gasCost().subtract(expectedGasWei());
  }

  private static BigInteger ceil(BigInteger a, long b) {
    BigInteger[] qr = a.divideAndRemainder(BigInteger.valueOf(b));
    return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
  }

  /** The pair's reserves as {weth, usdc}. */
  private static BigInteger[] reserves(ChainClient c, String pair, String weth) {
    BigInteger[] r = UniswapV2.reserves(c, pair);
    return UniswapV2.token0(c, pair).equals(weth) ? r : new BigInteger[] {r[1], r[0]};
  }

  private static Map<String, BigInteger> balances() {
    return Map.of(
        "l1weth", trader1.balanceOf(weth, trader1.address()),
        "l1usdc", trader1.balanceOf(usdc, trader1.address()),
        "l2weth", trader2.balanceOf(weth, trader2.address()),
        "l2usdc", trader2.balanceOf(usdc, trader2.address()));
  }

  private static BigInteger nonce(ChainClient c, DefaultBlockParameterName at) throws Exception {
    return c.web3j().ethGetTransactionCount(c.address(), at).send().getTransactionCount();
  }

  /** Buys WETH with 20,000 USDC on the L1 at 100 gwei, so that it is mined before the bot's leg. */
  private static void frontRun() throws Exception {
    Credentials key = Credentials.create(l1.privateKeys().get(0));
    String data =
        FunctionEncoder.encode(
            new Function(
                "swapExactTokensForTokens",
                List.of(
                    new Uint256(whole(20_000)),
                    new Uint256(BigInteger.ZERO),
                    new DynamicArray<>(Address.class, new Address(usdc), new Address(weth)),
                    new Address(deployer1.address()),
                    new Uint256(BigInteger.ONE.shiftLeft(64))),
                List.of()));
    BigInteger n = nonce(deployer1, DefaultBlockParameterName.PENDING);
    RawTransaction tx =
        RawTransaction.createTransaction(
            n,
            BigInteger.TEN.pow(11),
            BigInteger.valueOf(400_000),
            dex1.router(),
            BigInteger.ZERO,
            data);
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, L1, key));
    var sent = deployer1.web3j().ethSendRawTransaction(signed).send();
    assertTrue(!sent.hasError(), () -> sent.getError().getMessage());
  }
}
