package io.rehoboam.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.ExecuteRequest;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.testing.MutableClock;
import io.rehoboam.core.testing.RecordingExecutor;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trade history and PnL through the service's Java API. */
class ExecutionHistoryTest {
  private static final String WETH = "0x" + "c".repeat(40);
  private static final String USDC = "0x" + "a".repeat(40);

  private final MutableClock clock = MutableClock.atEpoch();
  private final Instant t0 = clock.instant();
  private final RecordingExecutor executor = new RecordingExecutor(clock);
  private final ScriptedProvider provider = new ScriptedProvider();
  private ArbitrageService service;
  private BotContext scout;

  @BeforeEach
  void start() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .clock(clock)
            .executor(executor)
            .riskLimits(RiskLimits.NONE)
            .build();
    service.initialize();
    service.register(BotRegistration.of("scout", "scripted", Settings.empty()));
    service.start("scout");
    scout = provider.last().context;
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private Opportunity opportunity(String id, String strategy, String netUsd) {
    BigInteger in = BigInteger.valueOf(1_000_000);
    BigInteger gas = BigInteger.TEN;
    BigInteger net = BigInteger.valueOf(500);
    BigInteger out = in.add(net).add(gas);
    return new Opportunity(
        id,
        strategy,
        null,
        WETH,
        in,
        out,
        out.subtract(in),
        gas,
        net,
        new BigDecimal(netUsd).add(new BigDecimal("0.25")),
        new BigDecimal(netUsd),
        7,
        clock.instant(),
        clock.instant().plusSeconds(3600),
        List.of(
            new Leg(1, "uni", "p1", WETH, USDC, in, BigInteger.valueOf(2_000)),
            new Leg(1, "sushi", "p2", USDC, WETH, BigInteger.valueOf(2_000), out)));
  }

  /** Five executions a minute apart: three by the bot, two through the API. */
  private List<String> trade() throws Exception {
    List<String> ids = new ArrayList<>();
    String[][] plan = {
      {"o1", "cross_venue", "1.5", "bot"},
      {"o2", "cyclic", "2.25", "api"},
      {"o3", "cross_venue", "0.125", "bot"},
      {"o4", "cyclic", "3", "bot"},
      {"o5", "cross_venue", "4", "api"},
    };
    for (String[] p : plan) {
      scout.publishOpportunity(opportunity(p[0], p[1], p[2]));
      ids.add(
          p[3].equals("bot")
              ? scout.execute(p[0], null, null).toCompletableFuture().get().id()
              : service.execute(p[0], ExecuteRequest.defaults()).id());
      clock.advance(Duration.ofMinutes(1));
    }
    return ids;
  }

  private static List<String> ids(ExecutionPage page) {
    return page.executions().stream().map(TradeRecord::id).toList();
  }

  private ExecutionPage query(
      String bot,
      String strategy,
      ExecutionStatus status,
      Instant from,
      Instant to,
      String cursor,
      int limit) {
    return service.executions(new ExecutionQuery(bot, strategy, status, from, to, cursor, limit));
  }

  @Test
  void executionsAreListedNewestFirstAPageAtATimeAndFiltered() throws Exception {
    List<String> ids = trade();

    ExecutionPage first = query(null, null, null, null, null, null, 2);
    assertEquals(List.of(ids.get(4), ids.get(3)), ids(first));
    ExecutionPage second = query(null, null, null, null, null, first.nextCursor(), 2);
    assertEquals(List.of(ids.get(2), ids.get(1)), ids(second));
    ExecutionPage last = query(null, null, null, null, null, second.nextCursor(), 2);
    assertEquals(List.of(ids.get(0)), ids(last));
    assertNull(last.nextCursor(), "the last page has no next cursor");

    assertEquals(3, query("scout", null, null, null, null, null, 50).executions().size());
    assertEquals(2, query("api", null, null, null, null, null, 50).executions().size());
    assertEquals(
        List.of(ids.get(3), ids.get(1)), ids(query(null, "cyclic", null, null, null, null, 50)));
    assertEquals(
        List.of(ids.get(2), ids.get(1)),
        ids(
            query(
                null,
                null,
                ExecutionStatus.SIMULATED,
                t0.plusSeconds(60),
                t0.plusSeconds(180),
                null,
                50)));
    assertEquals(
        0, query(null, null, ExecutionStatus.FAILED, null, null, null, 50).executions().size());

    TradeRecord one = service.execution(ids.get(0));
    assertEquals("scout", one.botId());
    assertEquals("cross_venue", one.strategy());
    assertEquals(BigInteger.valueOf(1_000_000), one.amountIn());
    assertEquals(BigInteger.valueOf(500), one.realizedProfit());
    assertEquals(0, new BigDecimal("1.5").compareTo(one.realizedProfitUsd()));
    assertEquals(0, new BigDecimal("0.25").compareTo(one.gasCostUsd()));
    assertEquals(2, one.legs().size());
    assertEquals(
        ErrorCode.NOT_FOUND,
        assertThrows(RehoboamException.class, () -> service.execution("ex-none")).code());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        assertThrows(
                RehoboamException.class,
                () -> query(null, null, null, null, null, "not-a-cursor", 5))
            .code());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        assertThrows(
                RehoboamException.class,
                () -> new ExecutionQuery(null, null, null, null, null, null, 0))
            .code());
  }

  @Test
  void pnlSumsToTheBotsTotalProfitAndIsBucketed() throws Exception {
    trade();

    PnlReport all = service.pnl(PnlQuery.all());

    assertEquals(5, all.totals().executions());
    assertEquals("10.875000", all.totals().realizedProfitUsd().toPlainString());
    assertEquals(service.bot("scout").totalProfit(), all.byBot().get("scout").realizedProfitUsd());
    assertEquals("4.625000", all.byBot().get("scout").realizedProfitUsd().toPlainString());
    assertEquals("6.250000", all.byBot().get(PnlReport.API).realizedProfitUsd().toPlainString());
    assertEquals(3, all.byStrategy().get("cross_venue").executions());
    assertEquals(new BigDecimal("1.0000"), all.totals().winRate());
    assertEquals("1.250000", all.totals().gasCostUsd().toPlainString());

    PnlReport perMinute =
        service.pnl(new PnlQuery("scout", null, null, null, PnlQuery.Bucket.MINUTE));
    assertEquals(3, perMinute.series().size(), "one bucket per minute with a trade of scout");
    assertEquals(t0, perMinute.series().get(0).start());
    assertEquals(t0.plusSeconds(60), perMinute.series().get(0).end());
    assertEquals(
        "1.500000", perMinute.series().get(0).figures().realizedProfitUsd().toPlainString());
    PnlReport perDay = service.pnl(new PnlQuery(null, null, null, null, PnlQuery.Bucket.DAY));
    assertEquals(1, perDay.series().size());
    assertEquals(5, perDay.series().get(0).figures().executions());
    assertEquals(
        ErrorCode.INVALID_ARGUMENT,
        assertThrows(RehoboamException.class, () -> PnlQuery.Bucket.parse("week")).code());
  }
}
