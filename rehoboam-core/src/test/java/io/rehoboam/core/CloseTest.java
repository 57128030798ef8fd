package io.rehoboam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedBot;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CloseTest {

  private static List<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(NamedThreadFactory.PREFIX))
        .sorted()
        .toList();
  }

  @Test
  void closeStopsEveryBotInParallelDrainsSubscribersAndLeavesNoThread() throws Exception {
    ScriptedProvider provider = new ScriptedProvider();
    // Each stop waits for all three to have entered stop(): only a parallel close finishes.
    CountDownLatch allStopping = new CountDownLatch(3);
    provider.script = b -> b.onStop = ScriptedBot.Action.BLOCK;
    EventRecorder recorder = new EventRecorder();
    ArbitrageService service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .closeTimeout(Duration.ofSeconds(20))
            .build();
    service.subscribe(recorder);
    service.initialize();
    for (String id : List.of("a", "b", "c")) {
      service.register(BotRegistration.of(id, "scripted", Settings.empty()));
      service.start(id);
    }
    service.startMonitoring();
    Thread releaser =
        new Thread(
            () -> {
              try {
                for (ScriptedBot b : provider.instances) {
                  b.stopEntered.await(20, TimeUnit.SECONDS);
                  allStopping.countDown();
                }
                allStopping.await(20, TimeUnit.SECONDS);
                provider.instances.forEach(b -> b.release.countDown());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    releaser.start();
    service.close();
    releaser.join(20_000);
    assertEquals(0, allStopping.getCount(), "all three were stopping at once");

    for (String id : List.of("a", "b", "c")) {
      assertEquals(
          BotState.STOPPED, recorder.transitions(id).get(recorder.transitions(id).size() - 1));
    }
    assertTrue(
        recorder.events().stream()
            .anyMatch(e -> e instanceof SystemEvent s && s.kind().equals("stopped")),
        "the last events were drained to the subscriber");
    assertEquals(List.of(), libraryThreads());

    RehoboamException e = assertThrows(RehoboamException.class, () -> service.start("a"));
    assertEquals(ErrorCode.SHUTTING_DOWN, e.code());
    service.close(); // idempotent
  }
}
