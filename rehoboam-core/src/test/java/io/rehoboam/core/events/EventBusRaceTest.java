package io.rehoboam.core.events;

import static io.rehoboam.core.events.EventBusTest.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Races between many publishers, subscribers that get lapped, failing factories and close: the
 * ring's chunks are replaced lap after lap under the subscribers' feet.
 */
class EventBusRaceTest {
  private static final long TIMEOUT_SECONDS = Recorder.TIMEOUT.toSeconds();

  private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
  private final ExecutorService publishers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPublishers() throws InterruptedException {
    publishers.shutdownNow();
    assertTrue(publishers.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 8, 2048})
  void closeWhilePublishersLapSubscribersAccountsForEverySeqAndLeavesNoThread(int capacity)
      throws Exception {
    String threadPrefix = "events-race-" + capacity;
    EventBus bus = new EventBus(capacity, new NamedThreadFactory(threadPrefix), clock);
    List<SeqChecker> checkers = new ArrayList<>();
    List<EventSubscription> subs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SeqChecker checker = new SeqChecker(i == 0 ? 2_000 : 0); // the first one is slow
      checkers.add(checker);
      subs.add(bus.subscribe("race-" + i, checker));
    }
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong accepted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          publishers.submit(
              () -> {
                start.await();
                // Publishes until the bus refuses: close lands while all four are busy.
                while (bus.publish(log("bot-a", "m")) != null) {
                  accepted.incrementAndGet();
                }
                rejected.incrementAndGet();
                return null;
              }));
    }
    start.countDown();
    Recorder.awaitCondition("100000 events published", () -> accepted.get() >= 100_000);

    bus.close(Recorder.TIMEOUT);

    for (Future<?> f : done) {
      f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(4, rejected.get());
    assertEquals(accepted.get(), bus.lastSeq());
    assertTrue(bus.rejectedAfterClose() >= 4);
    assertNull(bus.publish(log("bot-a", "too late")));
    long dropped = 0;
    for (int i = 0; i < subs.size(); i++) {
      EventSubscription sub = subs.get(i);
      SeqChecker checker = checkers.get(i);
      assertEquals(0, checker.outOfOrder, "subscriber " + i + " saw a seq repeat or go backwards");
      assertEquals(checker.received, sub.delivered(), "subscriber " + i);
      assertEquals(bus.lastSeq(), sub.delivered() + sub.dropped(), "subscriber " + i);
      assertTrue(sub.isClosed());
      dropped += sub.dropped();
    }
    assertEquals(dropped, bus.totalDropped());
    assertTrue(checkers.get(0).received > 0, "the slow subscriber received events too");
    assertEquals(List.of(), liveThreads("rehoboam-" + threadPrefix + "-"));
  }

  @Test
  void failingFactoriesAmongConcurrentPublishersLeaveHolesThatNoSubscriberReceives()
      throws Exception {
    int perThread = 20_000;
    EventBus bus = new EventBus(16, new NamedThreadFactory("events-race-holes"), clock);
    try {
      SeqChecker checker = new SeqChecker(0);
      EventSubscription sub = bus.subscribe("holes", checker);
      AtomicLong failed = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            publishers.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perThread; n++) {
                    try {
                      bus.publish(
                          (seq, at) -> {
                            if (seq % 3 == 0) {
                              throw new IllegalStateException("no event for seq " + seq);
                            }
                            return new SystemEvent(seq, at, "race", "");
                          });
                    } catch (IllegalStateException expected) {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      bus.close(Recorder.TIMEOUT);

      long total = 4L * perThread;
      assertEquals(total, bus.lastSeq());
      assertEquals(total / 3, failed.get());
      assertEquals(0, checker.outOfOrder);
      assertEquals(0, checker.holesReceived, "an event with a seq whose factory threw");
      // Every seq with an event is delivered or dropped; holes may fall inside a dropped range.
      assertTrue(sub.delivered() + sub.dropped() >= total - failed.get());
      assertTrue(sub.delivered() + sub.dropped() <= total);
      assertEquals(checker.received, sub.delivered());
    } finally {
      bus.close();
    }
  }

  @Test
  void aSubscriberWaitingOnASeqWhoseFactoryIsSlowGetsItOnceBuilt() throws Exception {
    try (EventBus bus = new EventBus(64, new NamedThreadFactory("events-race-slow"), clock)) {
      Recorder recorder = new Recorder();
      bus.subscribe("waiting", recorder);
      bus.publish(log("bot-a", "first"));
      recorder.awaitCount(1);
      CountDownLatch building = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean released = new AtomicBoolean();
      Future<?> slow =
          publishers.submit(
              () ->
                  bus.publish(
                      (seq, at) -> {
                        building.countDown();
                        try {
                          released.set(release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return new SystemEvent(seq, at, "slow", "");
                      }));
      assertTrue(building.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      // The subscriber now waits for a seq that is claimed but not built; later seqs queue up
      // behind it.
      bus.publish(log("bot-a", "behind the slow one"));

      release.countDown();
      slow.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

      List<Event> received = recorder.awaitCount(3);
      assertTrue(released.get());
      assertEquals(List.of(1L, 2L, 3L), EventBusTest.seqsOf(received));
      assertEquals("slow", ((SystemEvent) received.get(1)).kind());
    }
  }

  /** Checks, on the subscription thread, that seqs only increase; optionally slow. */
  private static final class SeqChecker implements EventListener {
    private final int spinsPerEvent;
    long lastSeq;
    long received;
    long outOfOrder;
    long holesReceived;

    SeqChecker(int spinsPerEvent) {
      this.spinsPerEvent = spinsPerEvent;
    }

    @Override
    public void onEvent(Event event) {
      if (event.seq() <= lastSeq) {
        outOfOrder++;
      }
      if (event.seq() % 3 == 0 && event instanceof SystemEvent e && e.kind().equals("race")) {
        holesReceived++;
      }
      lastSeq = event.seq();
      received++;
      for (int i = 0; i < spinsPerEvent; i++) {
        Thread.onSpinWait();
      }
    }
  }

  private static List<String> liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .toList();
  }
}
