package io.rehoboam.core;

import static io.rehoboam.spi.event.BotState.ERROR;
import static io.rehoboam.spi.event.BotState.REGISTERED;
import static io.rehoboam.spi.event.BotState.RUNNING;
import static io.rehoboam.spi.event.BotState.STARTING;
import static io.rehoboam.spi.event.BotState.STOPPED;
import static io.rehoboam.spi.event.BotState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedBot;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.BotStatusEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state machine with real worker threads: every transition, idempotence, the races at the
 * edges.
 */
class BotLifecycleTest {
  private final ScriptedProvider provider = new ScriptedProvider();
  private final EventRecorder recorder = new EventRecorder();
  private ArbitrageService service;

  @BeforeEach
  void setUp() {
    service =
        ArbitrageService.builder()
            .env(Map.of())
            .discoverProviders(false)
            .provider(provider)
            .random(() -> 0.5)
            .build();
    service.subscribe(recorder);
    service.initialize();
  }

  @AfterEach
  void tearDown() {
    service.close();
  }

  private void register(String id, RestartPolicy policy) {
    service.register(
        new BotRegistration(id, "scripted", "Bot " + id, false, policy, Settings.empty()));
  }

  private static RestartPolicy never() {
    return RestartPolicy.DEFAULT.withMode(RestartPolicy.Mode.NEVER);
  }

  @Test
  void registeredBotStartsAndStopsWithAnEventPerTransition() {
    register("a", RestartPolicy.DEFAULT);
    assertEquals(REGISTERED, service.bot("a").status());

    BotStatus running = service.start("a");
    assertEquals(RUNNING, running.status());
    assertEquals(RUNNING, running.desiredState());
    assertTrue(running.startTime() != null);

    BotStatus stopped = service.stop("a");
    assertEquals(STOPPED, stopped.status());
    recorder.awaitState("a", STOPPED);
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), recorder.transitions("a"));
    BotStatusEvent first = (BotStatusEvent) recorder.await(e -> e instanceof BotStatusEvent);
    assertEquals(REGISTERED, first.from());
    assertEquals(STARTING, first.to());
    assertEquals("start requested", first.reason());
    assertEquals(1, provider.last().starts.get());
    assertEquals(1, provider.last().stops.get());
  }

  @Test
  void startWithSettingsRestartsARunningBotWithThemForThatRunOnly() throws Exception {
    service.register(
        new BotRegistration(
            "a", "scripted", "A", false, RestartPolicy.DEFAULT, Settings.of(Map.of("note", "1"))));
    service.start("a");
    assertEquals(1, provider.instances.size());

    BotStatus restarted = service.start("a", Map.of("note", "2"));
    assertEquals(RUNNING, restarted.status());
    ScriptedBot second = provider.awaitInstance(2);
    assertEquals(
        2, second.context.settings().intValue("note", 0), "runs with the new settings now");
    assertEquals(1, provider.instances.get(0).stops.get(), "the old run was stopped");

    service.stop("a");
    service.start("a");
    ScriptedBot third = provider.awaitInstance(3);
    assertEquals(
        1, third.context.settings().intValue("note", 0), "the next run has its own settings");
  }

  @Test
  void startAndStopAreIdempotent() {
    register("a", RestartPolicy.DEFAULT);
    service.start("a");
    service.start("a");
    assertEquals(1, provider.instances.size(), "a second start builds no second bot");
    service.stop("a");
    service.stop("a");
    assertEquals(1, provider.last().stops.get(), "a second stop stops nothing");
    recorder.awaitState("a", STOPPED);
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), recorder.transitions("a"));
  }

  @Test
  void stopWhileStartingStopsTheBotOnceStartReturnsAndNeverReportsRunning() throws Exception {
    register("a", RestartPolicy.DEFAULT);
    provider.script = b -> b.onStart = ScriptedBot.Action.BLOCK;
    CompletionStage<BotStatus> started = service.startAsync("a");
    recorder.awaitState("a", STARTING);
    provider.awaitInstance(1).startEntered.await(10, TimeUnit.SECONDS);
    CompletionStage<BotStatus> stopped = service.stopAsync("a");
    assertEquals(STARTING, service.bot("a").status(), "start() is still running");

    provider.last().release.countDown();
    BotStatus finalStatus = stopped.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(STOPPED, finalStatus.status());
    assertEquals(STOPPED, started.toCompletableFuture().get(10, TimeUnit.SECONDS).status());
    recorder.awaitState("a", STOPPED);
    assertEquals(List.of(STARTING, STOPPING, STOPPED), recorder.transitions("a"));
    assertEquals(1, provider.last().stops.get(), "what start() began is stopped");
  }

  @Test
  void startWhileStoppingStartsAgainOnceStopped() throws Exception {
    register("a", RestartPolicy.DEFAULT);
    provider.script = b -> b.onStop = b.number == 1 ? ScriptedBot.Action.BLOCK : b.onStop;
    service.start("a");
    CompletionStage<BotStatus> stopped = service.stopAsync("a");
    provider.instances.get(0).stopEntered.await(10, TimeUnit.SECONDS);
    CompletionStage<BotStatus> restarted = service.startAsync("a");

    provider.instances.get(0).release.countDown();
    assertEquals(RUNNING, restarted.toCompletableFuture().get(10, TimeUnit.SECONDS).status());
    assertEquals(
        RUNNING,
        stopped.toCompletableFuture().get(10, TimeUnit.SECONDS).desiredState(),
        "the stop was superseded by the later start");
    recorder.awaitState("a", RUNNING, 2);
    assertEquals(
        List.of(STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING),
        recorder.transitions("a"));
    assertEquals(2, provider.instances.size(), "a restart builds a fresh bot");
  }

  @Test
  void failedStartWithPolicyNeverEndsInErrorWithTheMessageAndCanBeStartedAgain() {
    register("a", never());
    provider.script =
        b -> {
          if (b.number == 1) {
            b.onStart = ScriptedBot.Action.THROW;
            b.failureMessage = "cannot reach node";
          }
        };
    BotStatus status = service.start("a");
    assertEquals(ERROR, status.status());
    assertTrue(status.errorMessage().contains("cannot reach node"), status.errorMessage());
    assertEquals(RUNNING, status.desiredState());

    BotStatus again = service.start("a");
    assertEquals(RUNNING, again.status());
    assertNull(again.errorMessage(), "a fresh start clears the old error");
  }

  @Test
  void aBotThatReportsFailureWhileRunningIsStoppedAndMarkedError() {
    register("a", never());
    service.start("a");
    provider.last().context.reportFailure("lost connection", null);
    recorder.awaitState("a", ERROR);
    assertEquals(List.of(STARTING, RUNNING, STOPPING, ERROR), recorder.transitions("a"));
    assertEquals(1, provider.last().stops.get());
    assertEquals("lost connection", service.bot("a").errorMessage());
  }

  @Test
  void aCompletedBotWithPolicyOnFailureEndsStopped() {
    register("a", RestartPolicy.DEFAULT);
    service.start("a");
    provider.last().context.reportCompleted("nothing left to do");
    recorder.awaitState("a", STOPPED);
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), recorder.transitions("a"));
    assertNull(service.bot("a").errorMessage());
  }

  @Test
  void callsFromAStoppedInstanceAreIgnored() {
    register("a", RestartPolicy.DEFAULT);
    service.start("a");
    ScriptedBot first = provider.last();
    service.stop("a");
    service.start("a");
    first.context.reportFailure("late failure of the old instance", null);
    first.context.publishOpportunity(TestOpportunities.sample("late"));
    assertEquals(RUNNING, service.bot("a").status());
    assertEquals(0, service.bot("a").opportunitiesFound());
  }

  @Test
  void unknownIdsAndTypesAreClearErrors() {
    RehoboamException notFound = assertThrows(RehoboamException.class, () -> service.start("nope"));
    assertEquals(ErrorCode.NOT_FOUND, notFound.code());
    assertTrue(notFound.getMessage().contains("nope"));

    RehoboamException badType =
        assertThrows(
            RehoboamException.class,
            () -> service.register(BotRegistration.of("x", "warp_drive", Settings.empty())));
    assertEquals(ErrorCode.INVALID_ARGUMENT, badType.code());
    assertTrue(badType.getMessage().contains("warp_drive"), badType.getMessage());
    assertTrue(badType.getMessage().contains("scripted"), "lists the known types");

    register("a", RestartPolicy.DEFAULT);
    RehoboamException dup =
        assertThrows(RehoboamException.class, () -> register("a", RestartPolicy.DEFAULT));
    assertEquals(ErrorCode.ALREADY_EXISTS, dup.code());

    RehoboamException badId =
        assertThrows(
            RehoboamException.class,
            () -> service.register(BotRegistration.of("bad id!", "scripted", Settings.empty())));
    assertEquals(ErrorCode.INVALID_ARGUMENT, badId.code());
    assertTrue(badId.getMessage().contains("bot id"), badId.getMessage());
  }

  @Test
  void unregisterStopsTheBotAndRemovesIt() {
    register("a", RestartPolicy.DEFAULT);
    service.start("a");
    BotStatus last = service.unregister("a");
    assertEquals(STOPPED, last.status());
    assertEquals(1, provider.last().stops.get());
    assertTrue(service.bots().isEmpty());
    assertEquals(
        ErrorCode.NOT_FOUND, assertThrows(RehoboamException.class, () -> service.bot("a")).code());
  }

  @Test
  void aBotThatDoesNotStopInTimeIsReportedNotWaitedOnForever() {
    RestartPolicy quickStop =
        new RestartPolicy(
            RestartPolicy.Mode.ON_FAILURE,
            5,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            2,
            0,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ofSeconds(5),
            Duration.ofMillis(200));
    register("a", quickStop);
    provider.script = b -> b.onStop = ScriptedBot.Action.BLOCK;
    service.start("a");
    BotStatus status = service.stop("a");
    assertEquals(STOPPED, status.status());
    assertTrue(status.errorMessage().contains("did not stop within 200 ms"), status.errorMessage());
    provider.last().release.countDown();
  }

  @Test
  void concurrentStartsAndStopsFromManyThreadsEndConsistent() throws Exception {
    register("a", RestartPolicy.DEFAULT);
    int threads = 8;
    int rounds = 40;
    List<Thread> workers = new java.util.ArrayList<>();
    java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread w =
          new Thread(
              () -> {
                java.util.Random random = new java.util.Random(seed);
                try {
                  barrier.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < rounds; i++) {
                  if (random.nextBoolean()) {
                    service.startAsync("a");
                  } else {
                    service.stopAsync("a");
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join(30_000);
    }
    BotStatus finalStatus = service.stop("a");
    assertEquals(STOPPED, finalStatus.status());
    assertEquals(STOPPED, finalStatus.desiredState());

    // Every instance the engine built was started at most once and stopped exactly once.
    for (ScriptedBot b : provider.instances) {
      assertTrue(b.starts.get() <= 1, "bot " + b.number + " started " + b.starts.get() + " times");
      assertEquals(b.starts.get(), b.stops.get(), "bot " + b.number + " started but not stopped");
    }
    // The published transitions form one unbroken chain.
    // A snapshot published now is delivered after every earlier event.
    service.snapshotNow();
    recorder.await(e -> e instanceof io.rehoboam.spi.event.MonitoringSnapshotEvent);
    BotState previous = REGISTERED;
    List<BotStatusEvent> chain =
        recorder.events().stream()
            .filter(e -> e instanceof BotStatusEvent)
            .map(e -> (BotStatusEvent) e)
            .toList();
    for (BotStatusEvent e : chain) {
      assertEquals(previous, e.from(), "broken chain at seq " + e.seq());
      previous = e.to();
    }
    assertEquals(STOPPED, previous);
  }

  @Test
  void aBotCannotShutDownTheEnginesScheduler() {
    register("a", RestartPolicy.DEFAULT);
    service.start("a");
    RehoboamException e =
        assertThrows(
            RehoboamException.class, () -> provider.last().context.scheduler().shutdownNow());
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertThrows(RehoboamException.class, () -> provider.last().context.scheduler().shutdown());
    assertEquals(STOPPED, service.stop("a").status(), "the engine still works");
  }
}
