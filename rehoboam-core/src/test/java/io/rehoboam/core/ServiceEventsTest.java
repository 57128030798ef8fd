package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.BotContext;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.MonitoringSnapshotEvent;
import io.rehoboam.spi.event.OpportunityFoundEvent;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events as a subscriber of the service sees them, and the counters bots feed. */
class ServiceEventsTest {

  @Test
  void anApplicationPublishesSystemRecordsIntoTheStream() {
    ArbitrageService service =
        ArbitrageService.builder().env(Map.of()).discoverProviders(false).build();
    service.initialize();
    EventRecorder recorder = new EventRecorder();
    service.subscribe(recorder);

    io.rehoboam.spi.event.SystemEvent published =
        service.publishSystemEvent("audit", "{\"key_id\": \"ops\"}");

    Event seen = recorder.await(e -> e.seq() == published.seq());
    assertEquals(published, seen);
    assertEquals("audit", published.kind());
    org.junit.jupiter.api.Assertions.assertThrows(
        io.rehoboam.spi.RehoboamException.class, () -> service.publishSystemEvent(" ", "x"));
    service.close();
    org.junit.jupiter.api.Assertions.assertNull(service.publishSystemEvent("audit", "late"));
  }

  @Test
  void eventsOfEachBotReachEverySubscriberInPublishOrderUnderConcurrentPublishers()
      throws Exception {
    ScriptedProvider provider = new ScriptedProvider();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .build()) {
      service.initialize();
      EventRecorder first = new EventRecorder();
      EventRecorder second = new EventRecorder();
      service.subscribe(first, e -> e instanceof BotLogEvent);
      service.subscribe(second, e -> e instanceof BotLogEvent);
      List<BotContext> contexts = new ArrayList<>();
      for (String id : List.of("b1", "b2", "b3")) {
        service.register(BotRegistration.of(id, "scripted", Settings.empty()));
        service.start(id);
        contexts.add(provider.last().context);
      }
      int perBot = 5_000;
      List<Thread> publishers = new ArrayList<>();
      for (BotContext ctx : contexts) {
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < perBot; i++) {
                    ctx.log(LogLevel.DEBUG, Integer.toString(i));
                  }
                });
        publishers.add(t);
        t.start();
      }
      for (Thread t : publishers) {
        t.join(30_000);
      }
      for (EventRecorder r : List.of(first, second)) {
        r.await(e -> r.events().size() >= 3 * perBot);
        Map<String, Integer> next = new HashMap<>();
        long lastSeq = 0;
        for (Event e : r.events()) {
          BotLogEvent log = (BotLogEvent) e;
          assertTrue(log.seq() > lastSeq, "seq strictly increasing");
          lastSeq = log.seq();
          int expected = next.getOrDefault(log.botId(), 0);
          assertEquals(Integer.toString(expected), log.message(), "order of " + log.botId());
          next.put(log.botId(), expected + 1);
        }
        assertEquals(Map.of("b1", perBot, "b2", perBot, "b3", perBot), next);
      }
    }
  }

  @Test
  void opportunitiesAndExecutionsFeedTheBotsCountersAndEvents() {
    ScriptedProvider provider = new ScriptedProvider();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .build()) {
      service.initialize();
      EventRecorder recorder = new EventRecorder();
      service.subscribe(recorder);
      service.register(BotRegistration.of("x", "scripted", Settings.empty()));
      service.start("x");
      BotContext ctx = provider.last().context;
      assertEquals(null, service.bot("x").lastActivity());
      ctx.publishOpportunity(TestOpportunities.sample("o1"));
      ctx.publishOpportunity(TestOpportunities.sample("o2"));
      Instant now = Instant.now();
      ctx.publishExecution(
          Execution.simulated(
                  "e1", "o1", ExecutionMode.PAPER, BigInteger.TEN, BigInteger.TEN, now, now)
              .withRealized(BigInteger.TEN, new BigDecimal("12.50")));
      ctx.publishExecution(
          Execution.failed("e2", "o2", ExecutionMode.PAPER, BigInteger.TEN, "slippage", now, now));
      BotStatus status = service.bot("x");
      assertEquals(2, status.opportunitiesFound());
      assertEquals(0, new BigDecimal("12.50").compareTo(status.totalProfit()));
      assertTrue(status.lastActivity() != null);
      OpportunityFoundEvent found =
          (OpportunityFoundEvent) recorder.await(e -> e instanceof OpportunityFoundEvent);
      assertEquals("x", found.botId());
      assertEquals("o1", found.opportunity().id());

      service.snapshotNow();
      MonitoringSnapshotEvent snap =
          (MonitoringSnapshotEvent) recorder.await(e -> e instanceof MonitoringSnapshotEvent);
      assertEquals(1, snap.botsByState().get("running"));
      assertEquals(2, snap.opportunitiesPerMinute());
      assertEquals(0, new BigDecimal("12.50").compareTo(snap.totalProfit()));
      assertEquals(io.rehoboam.spi.BotHealth.Status.UP, snap.botHealth().get("x").status());
    }
  }

  @Test
  void closingASubscriptionStopsDelivery() {
    try (ArbitrageService service =
        ArbitrageService.builder().env(Map.of()).discoverProviders(false).build()) {
      EventRecorder recorder = new EventRecorder();
      EventRecorder witness = new EventRecorder();
      EventSubscription sub = service.subscribe(recorder);
      service.subscribe(witness);
      service.snapshotNow();
      recorder.await(e -> e instanceof MonitoringSnapshotEvent);
      sub.close();
      service.initialize();
      witness.await(
          e -> e instanceof io.rehoboam.spi.event.SystemEvent s && s.kind().equals("started"));
      assertEquals(
          1, recorder.events().size(), "nothing delivered after close: " + recorder.events());
    }
  }

  @Test
  void logLinesAreKeptPerBotAcrossRunsAndCommandsNeedARunningBot() {
    ScriptedProvider provider = new ScriptedProvider();
    try (ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .logLinesPerBot(3)
            .build()) {
      service.initialize();
      service.register(BotRegistration.of("l", "scripted", Settings.empty()));
      io.rehoboam.spi.RehoboamException notRunning =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.rehoboam.spi.RehoboamException.class,
              () -> service.sendCommand("l", "reload", Map.of()));
      assertEquals(io.rehoboam.spi.ErrorCode.CONFLICT, notRunning.code());
      service.start("l");
      provider.last().context.log(LogLevel.INFO, "first run");
      service.stop("l");
      service.start("l");
      for (int i = 1; i <= 3; i++) {
        provider.last().context.log(LogLevel.WARN, "line " + i);
      }
      List<String> lines = service.logs("l", 10);
      assertEquals(3, lines.size(), "capped at the configured count: " + lines);
      assertTrue(lines.get(0).endsWith("WARN line 1"), lines.get(0));
      assertTrue(lines.get(2).endsWith("WARN line 3"), lines.get(2));
      assertEquals(1, service.logs("l", 1).size());
      io.rehoboam.spi.RehoboamException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.rehoboam.spi.RehoboamException.class,
              () -> service.sendCommand("l", "reload", Map.of()));
      assertEquals(io.rehoboam.spi.ErrorCode.INVALID_ARGUMENT, refused.code());
    }
  }
}
