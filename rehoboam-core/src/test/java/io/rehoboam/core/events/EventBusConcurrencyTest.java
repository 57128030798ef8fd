package io.rehoboam.core.events;

import static io.rehoboam.core.events.EventBusTest.log;
import static io.rehoboam.core.events.EventBusTest.seqsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.Event;
import java.time.Clock;
import java.time.Duration;
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

class EventBusConcurrencyTest {
  private static final long TIMEOUT_SECONDS = Recorder.TIMEOUT.toSeconds();

  private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
  private final ExecutorService publishers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPublishers() throws InterruptedException {
    publishers.shutdownNow();
    assertTrue(publishers.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void eachBotsEventsReachEverySubscriberInPublishOrderUnderConcurrentPublishers()
      throws Exception {
    int threads = 4;
    int bots = 3;
    int perBotAndThread = 20_000;
    int total = threads * bots * perBotAndThread;
    try (EventBus bus = new EventBus(1 << 18, new NamedThreadFactory("events-order-test"), clock)) {
      List<OrderChecker> checkers = new ArrayList<>();
      List<EventSubscription> subs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        OrderChecker checker = new OrderChecker(bots, threads, total);
        checkers.add(checker);
        subs.add(bus.subscribe("order-" + i, checker));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            publishers.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perBotAndThread; n++) {
                    for (int b = 0; b < bots; b++) {
                      bus.publish(log("bot-" + b, thread + ":" + n));
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }

      for (int i = 0; i < checkers.size(); i++) {
        OrderChecker checker = checkers.get(i);
        assertTrue(
            checker.done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
            "subscriber " + i + " received " + checker.received + " of " + total);
        assertEquals(List.of(), checker.problems, "subscriber " + i);
        assertEquals(total, checker.received);
        for (int b = 0; b < bots; b++) {
          for (int t = 0; t < threads; t++) {
            assertEquals(perBotAndThread, checker.next[b][t], "bot " + b + " thread " + t);
          }
        }
      }
      assertEquals(total, bus.lastSeq());
      assertEquals(0, bus.totalDropped());
      for (EventSubscription sub : subs) {
        assertEquals(0, sub.dropped());
      }
    }
  }

  /** Checks, on the subscription thread, global seq order and each (bot, publisher) order. */
  private static final class OrderChecker implements EventListener {
    final int[][] next;
    final long[] lastSeqOfBot;
    final List<String> problems = new ArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    final int total;
    long lastSeq;
    int received;

    OrderChecker(int bots, int threads, int total) {
      this.next = new int[bots][threads];
      this.lastSeqOfBot = new long[bots];
      this.total = total;
    }

    @Override
    public void onEvent(Event event) {
      BotLogEvent e = (BotLogEvent) event;
      int bot = Integer.parseInt(e.botId().substring("bot-".length()));
      String message = e.message();
      int colon = message.indexOf(':');
      int thread = Integer.parseInt(message.substring(0, colon));
      int n = Integer.parseInt(message.substring(colon + 1));
      if (e.seq() <= lastSeq || e.seq() <= lastSeqOfBot[bot]) {
        problem("seq " + e.seq() + " after " + lastSeq);
      }
      if (n != next[bot][thread]) {
        problem(
            "bot-"
                + bot
                + " from thread "
                + thread
                + ": got "
                + n
                + ", expected "
                + next[bot][thread]);
      }
      next[bot][thread] = n + 1;
      lastSeq = e.seq();
      lastSeqOfBot[bot] = e.seq();
      if (++received == total) {
        done.countDown();
      }
    }

    private void problem(String what) {
      if (problems.size() < 10) {
        problems.add(what);
      }
    }
  }

  @Test
  void aSlowSubscriberBlocksNeitherPublishersNorOtherSubscribersAndCountsItsDrops()
      throws Exception {
    int capacity = 64;
    int total = capacity * 10;
    EventBus bus = new EventBus(capacity, new NamedThreadFactory("events-slow-test"), clock);
    try {
      CountDownLatch blocked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Recorder slowEvents = new Recorder();
      EventSubscription slow =
          bus.subscribe(
              "slow",
              e -> {
                slowEvents.onEvent(e);
                if (e.seq() == 1) {
                  blocked.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      Recorder fastEvents = new Recorder();
      EventSubscription fast = bus.subscribe("fast", fastEvents);

      bus.publish(log("bot-a", "first"));
      assertTrue(blocked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      // In chunks of half the capacity, each awaited by the fast subscriber, so that it never
      // falls a full ring behind however the threads get scheduled.
      publishers
          .submit(
              () -> {
                for (int i = 2; i <= total; i++) {
                  bus.publish(log("bot-a", "m" + i));
                  if (i % (capacity / 2) == 0) {
                    fastEvents.awaitCount(i);
                  }
                }
                return null;
              })
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

      // Publishing finished while the slow listener is still inside its first call.
      assertEquals(0, slow.delivered());
      assertEquals(1, release.getCount());
      List<Long> fastSeqs = seqsOf(fastEvents.awaitCount(total));
      assertEquals(total, fastSeqs.size());
      for (int i = 0; i < total; i++) {
        assertEquals(i + 1, fastSeqs.get(i));
      }

      release.countDown();
      bus.close(Recorder.TIMEOUT);

      List<Long> slowSeqs = slowEvents.seqs();
      assertTrue(slow.dropped() > 0, "slow subscriber dropped " + slow.dropped());
      assertEquals(total, slow.delivered() + slow.dropped());
      assertEquals(slowSeqs.size(), slow.delivered());
      assertEquals(0, fast.dropped());
      assertEquals(slow.dropped(), bus.totalDropped());
      for (int i = 1; i < slowSeqs.size(); i++) {
        assertTrue(slowSeqs.get(i) > slowSeqs.get(i - 1), "slow seqs out of order: " + slowSeqs);
      }
      // Drop-oldest: what the slow subscriber lost is old; it still got the newest event.
      assertEquals((long) total, slowSeqs.get(slowSeqs.size() - 1));
    } finally {
      bus.close();
    }
  }

  @Test
  void subscribersLappedByConcurrentPublishersStayInOrderAndAccountForEveryEvent()
      throws Exception {
    int threads = 4;
    int perThread = 20_000;
    int total = threads * perThread;
    EventBus bus = new EventBus(4, new NamedThreadFactory("events-lapped-test"), clock);
    try {
      List<SeqChecker> checkers = List.of(new SeqChecker(), new SeqChecker());
      List<EventSubscription> subs = new ArrayList<>();
      for (int i = 0; i < checkers.size(); i++) {
        subs.add(bus.subscribe("lapped-" + i, checkers.get(i)));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            publishers.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < perThread; n++) {
                    bus.publish(log("bot-a", "m"));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      bus.close(Recorder.TIMEOUT);

      long dropped = 0;
      for (int i = 0; i < subs.size(); i++) {
        EventSubscription sub = subs.get(i);
        SeqChecker checker = checkers.get(i);
        assertEquals(0, checker.outOfOrder, "subscriber " + i + " saw a seq go backwards");
        assertEquals(checker.received, sub.delivered());
        assertEquals(total, sub.delivered() + sub.dropped(), "subscriber " + i);
        dropped += sub.dropped();
      }
      assertEquals(dropped, bus.totalDropped());
      assertEquals(total, bus.lastSeq());
    } finally {
      bus.close();
    }
  }

  /** Counts, on the subscription thread, events and seqs that did not increase. */
  private static final class SeqChecker implements EventListener {
    long lastSeq;
    long received;
    long outOfOrder;

    @Override
    public void onEvent(Event event) {
      if (event.seq() <= lastSeq) {
        outOfOrder++;
      }
      lastSeq = event.seq();
      received++;
    }
  }

  @Test
  void closeDrainsPublishedEventsThenRejectsPublishingAndLeavesNoThreads() throws Exception {
    EventBus bus = new EventBus(1024, new NamedThreadFactory("events-close-test"), clock);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder recorder = new Recorder();
    EventSubscription sub =
        bus.subscribe(
            "draining",
            e -> {
              recorder.onEvent(e);
              if (e.seq() == 1) {
                blocked.countDown();
                try {
                  release.await();
                } catch (InterruptedException ex) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    Recorder second = new Recorder();
    bus.subscribe("second", second);
    for (int i = 1; i <= 500; i++) {
      bus.publish(log("bot-a", "m" + i));
    }
    assertTrue(blocked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));

    Future<?> closing = publishers.submit(() -> bus.close(Recorder.TIMEOUT));
    Recorder.awaitCondition("the bus is closed", bus::isClosed);
    assertNull(bus.publish(log("bot-a", "too late")));
    assertEquals(1, bus.rejectedAfterClose());
    assertFalse(closing.isDone(), "close returned before the blocked subscriber drained");
    release.countDown();
    closing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    List<Long> drained = recorder.seqs();
    assertEquals(500, drained.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(i + 1, drained.get(i));
    }
    assertEquals(500, second.seqs().size());
    assertTrue(sub.isClosed());
    assertEquals(List.of(), liveThreads("rehoboam-events-close-test-"));
    assertNull(bus.publish(log("bot-a", "still too late")));
    assertEquals(2, bus.rejectedAfterClose());
    assertEquals(500, bus.lastSeq());
    RehoboamException refused =
        assertThrows(RehoboamException.class, () -> bus.subscribe("late", e -> {}));
    assertEquals(ErrorCode.SHUTTING_DOWN, refused.code());
    bus.close(); // idempotent
    assertEquals(0, bus.subscriberCount());
  }

  @Test
  void closeStopsASubscriberStuckPastTheDrainTimeout() throws Exception {
    EventBus bus = new EventBus(64, new NamedThreadFactory("events-stuck-test"), clock);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicLong calls = new AtomicLong();
    EventSubscription stuck =
        bus.subscribe(
            "stuck",
            e -> {
              calls.incrementAndGet();
              blocked.countDown();
              try {
                never.await();
              } catch (InterruptedException ex) {
                interrupted.set(true);
              }
            });
    for (int i = 0; i < 10; i++) {
      bus.publish(log("bot-a", "m" + i));
    }
    assertTrue(blocked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));

    bus.close(Duration.ofMillis(50));

    assertTrue(interrupted.get(), "the stuck listener was interrupted");
    assertEquals(1, calls.get());
    assertTrue(stuck.isClosed());
    assertEquals(List.of(), liveThreads("rehoboam-events-stuck-test-"));
  }

  @Test
  void aListenerMayCloseTheBusWithoutDeadlock() throws Exception {
    EventBus bus = new EventBus(64, new NamedThreadFactory("events-self-close-test"), clock);
    CountDownLatch closedFromListener = new CountDownLatch(1);
    Recorder other = new Recorder();
    bus.subscribe("other", other);
    bus.subscribe(
        "closer",
        e -> {
          bus.close();
          closedFromListener.countDown();
        });

    bus.publish(log("bot-a", "close please"));

    assertTrue(closedFromListener.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    assertEquals(1, other.awaitCount(1).size());
    bus.close(); // waits for the close started by the listener
    assertTrue(bus.isClosed());
    assertEquals(List.of(), liveThreads("rehoboam-events-self-close-test-"));
  }

  private static List<String> liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .toList();
  }
}
