package io.rehoboam.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.scan.ScanConfig;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import io.rehoboam.testsupport.AnvilNode;
import io.rehoboam.testsupport.ArbitrageWorld;
import io.rehoboam.testsupport.ChainClient;
import io.rehoboam.testsupport.FaultyRpcProxy;
import io.rehoboam.testsupport.UniswapV2;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live monitor pricing gas with its evm source's eth_feeHistory estimate: the gas cost of what
 * it publishes is (gas_per_tx + legs * gas_per_leg) x (next base fee + tip), converted into the
 * start token, and follows the base fee when it moves.
 */
class GasFromSourceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private AnvilNode node;
  private ChainClient deployer;
  private ArbitrageWorld world;
  private ArbitrageService service;
  private final Events events = new Events();

  @BeforeEach
  void deploy() {
    node = AnvilNode.start();
    deployer = ChainClient.connect(node, 0);
    world = ArbitrageWorld.deploy(deployer);
    // A WETH pool makes the source know its native token (by symbol), priced by quote_prices.
    deployer.send(world.weth(), "0xd0e30db0", ArbitrageWorld.ONE.multiply(BigInteger.TEN));
    UniswapV2.createPair(
        deployer,
        world.dexA(),
        world.weth(),
        world.base(),
        ArbitrageWorld.ONE,
        ArbitrageWorld.ONE.multiply(BigInteger.TWO));
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (deployer != null) {
      deployer.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private void startService(boolean feeEstimate) throws Exception {
    startService(feeEstimate, node.rpcUrl());
  }

  private void startService(boolean feeEstimate, String url) throws Exception {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("type", "evm");
    source.put("rpc_url", url);
    source.put("chain_id", 31337);
    source.put("poll_interval", "20ms");
    source.put(
        "pools",
        List.of(
            world.baseUsdA(),
            world.baseUsdB(),
            UniswapV2.pairFor(world.dexA().factory(), world.weth(), world.base())));
    source.put("quote_prices", Map.of(world.base(), 1, world.weth(), 2));
    if (feeEstimate) {
      source.put("fee_estimate", true);
      source.put("fee_history_blocks", 1);
    }
    Map<String, Object> config = Map.of("sources", Map.of("chain", source));
    service =
        ArbitrageService.builder()
            .config(
                ConfigLoader.parse(
                    new ObjectMapper().writeValueAsString(config), "gas-test.yaml", Map.of()))
            .marketSourceProvider(new EvmMarketSourceProvider())
            .executorProvider(new EvmTradeExecutorProvider())
            .build();
    service.subscribe(events);
    service.initialize();
  }

  private void register() {
    service.register(
        BotRegistration.of(
            "monitor",
            "live_monitor",
            Settings.of(
                Map.of(
                    "start_tokens",
                    List.of(world.base()),
                    "ttl",
                    "5m",
                    "gas_price_from_source",
                    true))));
  }

  private Opportunity awaitCross(int from) {
    Set<String> cross = Set.of(world.baseUsdA(), world.baseUsdB());
    return events
        .await(
            from,
            OpportunityFoundEvent.class,
            e ->
                e.opportunity().legs().stream()
                    .map(Leg::poolId)
                    .map(id -> id.substring(id.indexOf(':') + 1))
                    .collect(Collectors.toSet())
                    .equals(cross),
            WAIT)
        .opportunity();
  }

  /** Gas of a 2-leg opportunity at {@code priceWei}, in base units: base is worth half a WETH. */
  private static BigInteger crossGasInBase(BigInteger priceWei) {
    BigInteger units =
        BigInteger.valueOf(ScanConfig.DEFAULT_GAS_PER_TX + 2 * ScanConfig.DEFAULT_GAS_PER_LEG);
    return units.multiply(priceWei).multiply(BigInteger.TWO);
  }

  @Test
  void theMonitorChargesTheSourcesFeeEstimateAndFollowsTheBaseFee() throws Exception {
    // Next block's base fee 10 gwei, one empty block: the next base fee is then 10 x 7/8 gwei
    // (EIP-1559, an empty block lowers it by 1/8) and that block's tip is 0.
    deployer.rpc(
        "anvil_setNextBlockBaseFeePerGas", "0x" + GWEI.multiply(BigInteger.TEN).toString(16));
    deployer.rpc("evm_mine");
    BigInteger price = GWEI.multiply(BigInteger.valueOf(35)).divide(BigInteger.valueOf(4));
    startService(true);
    register();
    assertEquals(BotState.RUNNING, service.start("monitor").status());
    Opportunity first = awaitCross(0);
    assertEquals(crossGasInBase(price), first.gasCost(), "8.75 gwei per gas, in base");
    assertEquals(first.profit().subtract(first.gasCost()), first.netProfit());

    // The base fee goes to 0 and a swap moves base/usd: the new opportunity is priced at 0.
    int mark = events.size();
    deployer.rpc("anvil_setNextBlockBaseFeePerGas", "0x0");
    UniswapV2.swapExactTokensForTokens(
        deployer,
        world.dexA(),
        ArbitrageWorld.ONE.multiply(BigInteger.valueOf(40_000)),
        List.of(world.usd(), world.base()));
    Opportunity after = awaitCross(mark);
    assertEquals(BigInteger.ZERO, after.gasCost());
    assertTrue(after.netProfit().equals(after.profit()));
  }

  @Test
  void aSourceWithoutFeeEstimatesIsRefusedNamingTheSetting() throws Exception {
    startService(false);
    register();
    BotStatus status = service.start("monitor");
    assertNotEquals(BotState.RUNNING, status.status());
    assertTrue(
        status.errorMessage().contains("gas_price_from_source: source 'chain' gives no gas price"),
        status.errorMessage());
    assertTrue(status.errorMessage().contains("fee_estimate: true"), status.errorMessage());
  }

  @Test
  void nothingIsPublishedBeforeTheFirstFeeEstimate() throws Exception {
    try (FaultyRpcProxy proxy = FaultyRpcProxy.start(node.rpcUrl())) {
      proxy.refuse("eth_feeHistory", "eth_gasPrice");
      startService(true, proxy.url());
      register();
      assertEquals(BotState.RUNNING, service.start("monitor").status());
      long head = deployer.blockNumber();
      // The monitor has the pools (it took them up to the head) but cannot price gas: nothing
      // found.
      events.awaitTrue(
          "the monitor at the head block",
          () ->
              service
                  .bot("monitor")
                  .health()
                  .message()
                  .contains("chain at sequence " + head + " with 0 live"),
          WAIT);
      assertTrue(
          events.all().stream().noneMatch(e -> e instanceof OpportunityFoundEvent),
          "no opportunity without a gas price");

      // The node answers fee history again: the next update is scanned and priced (base fee 0).
      proxy.refuse();
      int mark = events.size();
      UniswapV2.swapExactTokensForTokens(
          deployer,
          world.dexA(),
          ArbitrageWorld.ONE.multiply(BigInteger.valueOf(40_000)),
          List.of(world.usd(), world.base()));
      Opportunity found = awaitCross(mark);
      assertEquals(BigInteger.ZERO, found.gasCost());
    }
  }
}
