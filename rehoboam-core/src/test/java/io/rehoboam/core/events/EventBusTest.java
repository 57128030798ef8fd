package io.rehoboam.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.internal.NamedThreadFactory;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.Event;
import io.rehoboam.spi.event.SystemEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventBusTest {
  private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:00Z"));
  private final EventBus bus =
      new EventBus(1024, new NamedThreadFactory("events-unit-test"), clock);

  @AfterEach
  void closeBus() {
    bus.close();
  }

  static SeqEventFactory<BotLogEvent> log(String botId, String message) {
    return (seq, at) -> new BotLogEvent(seq, at, botId, LogLevel.INFO, message);
  }

  static SeqEventFactory<SystemEvent> system(String kind) {
    return (seq, at) -> new SystemEvent(seq, at, kind, "");
  }

  @ParameterizedTest
  @ValueSource(ints = {-4, 0, 1, 3, 6, 100, Integer.MIN_VALUE})
  void constructorRejectsCapacityThatIsNotAPowerOfTwoAtLeastTwo(int capacity) {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () -> new EventBus(capacity, new NamedThreadFactory("events-unit-test"), clock));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("capacity"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(capacity)), e.getMessage());
  }

  @Test
  void constructorRejectsMissingThreadFactoryOrClock() {
    RehoboamException noThreads =
        assertThrows(RehoboamException.class, () -> new EventBus(2, null, clock));
    assertEquals(ErrorCode.INVALID_ARGUMENT, noThreads.code());
    assertTrue(noThreads.getMessage().contains("threads"), noThreads.getMessage());
    RehoboamException noClock =
        assertThrows(
            RehoboamException.class,
            () -> new EventBus(2, new NamedThreadFactory("events-unit-test"), null));
    assertTrue(noClock.getMessage().contains("clock"), noClock.getMessage());
  }

  @Test
  void publishAssignsSeqsFromOneAndTheClocksInstant() throws Exception {
    Recorder recorder = new Recorder();
    bus.subscribe("all", recorder);
    assertEquals(0, bus.lastSeq());

    BotLogEvent first = bus.publish(log("bot-a", "one"));
    clock.set(Instant.parse("2024-05-01T12:00:01Z"));
    SystemEvent second = bus.publish(system("started"));

    assertEquals(1, first.seq());
    assertEquals(Instant.parse("2024-05-01T12:00:00Z"), first.at());
    assertEquals(2, second.seq());
    assertEquals(Instant.parse("2024-05-01T12:00:01Z"), second.at());
    assertEquals(2, bus.lastSeq());
    List<Event> received = recorder.awaitCount(2);
    assertSame(first, received.get(0));
    assertSame(second, received.get(1));
  }

  @Test
  void aFactoryThatThrowsFailsThatPublishOnlyAndSubscribersSkipItsSeq() throws Exception {
    Recorder recorder = new Recorder();
    bus.subscribe("all", recorder);
    bus.publish(log("bot-a", "before"));
    IllegalStateException boom = new IllegalStateException("boom");

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                bus.publish(
                    (seq, at) -> {
                      throw boom;
                    }));
    bus.publish(log("bot-a", "after"));

    assertSame(boom, thrown);
    assertEquals(List.of(1L, 3L), seqsOf(recorder.awaitCount(2)));
    assertEquals(0, bus.totalDropped());
  }

  @Test
  void aFactoryThatBreaksTheSeqContractIsRejectedAndSkipped() throws Exception {
    Recorder recorder = new Recorder();
    bus.subscribe("all", recorder);

    RehoboamException wrongSeq =
        assertThrows(
            RehoboamException.class,
            () -> bus.publish((seq, at) -> new SystemEvent(seq + 7, at, "bad", "")));
    RehoboamException nullEvent =
        assertThrows(RehoboamException.class, () -> bus.publish((seq, at) -> null));
    RehoboamException nullFactory = assertThrows(RehoboamException.class, () -> bus.publish(null));
    bus.publish(system("good"));

    assertEquals(ErrorCode.INVALID_ARGUMENT, wrongSeq.code());
    assertTrue(wrongSeq.getMessage().contains("factory"), wrongSeq.getMessage());
    assertTrue(wrongSeq.getMessage().contains("seq 8"), wrongSeq.getMessage());
    assertEquals(ErrorCode.INVALID_ARGUMENT, nullEvent.code());
    assertTrue(nullFactory.getMessage().contains("factory"), nullFactory.getMessage());
    List<Event> received = recorder.awaitCount(1);
    assertEquals(3, received.get(0).seq());
    assertEquals("good", ((SystemEvent) received.get(0)).kind());
  }

  @Test
  void aNewSubscriberSeesOnlyEventsPublishedAfterSubscribing() throws Exception {
    bus.publish(log("bot-a", "old-1"));
    bus.publish(log("bot-a", "old-2"));
    Recorder recorder = new Recorder();
    bus.subscribe("late", recorder);
    bus.publish(log("bot-a", "new"));

    List<Event> received = recorder.awaitCount(1);
    bus.close();
    assertEquals(1, recorder.events().size());
    assertEquals("new", ((BotLogEvent) received.get(0)).message());
  }

  @Test
  void filterLetsOnlyMatchingEventsThrough() throws Exception {
    Recorder recorder = new Recorder();
    EventSubscription sub = bus.subscribe("bot-a only", recorder, e -> "bot-a".equals(e.botId()));
    bus.publish(log("bot-a", "a1"));
    bus.publish(log("bot-b", "b1"));
    bus.publish(system("started"));
    bus.publish(log("bot-a", "a2"));

    List<Event> received = recorder.awaitCount(2);
    bus.close(); // every published event has been through the filter once close returns
    assertEquals(List.of("a1", "a2"), messagesOf(received));
    assertEquals(List.of(1L, 4L), seqsOf(received));
    assertEquals(2, sub.delivered());
    assertEquals(2, sub.filtered());
    assertEquals(0, sub.dropped());
  }

  @Test
  void aThrowingListenerIsSkippedAndKeepsReceivingLaterEventsWithoutDisturbingOthers()
      throws Exception {
    Recorder throwingsEvents = new Recorder();
    EventSubscription throwing =
        bus.subscribe(
            "throwing",
            e -> {
              throwingsEvents.onEvent(e);
              if (e.seq() % 2 == 1) {
                throw new IllegalStateException("listener bug on seq " + e.seq());
              }
            });
    Recorder other = new Recorder();
    bus.subscribe("other", other);

    for (int i = 1; i <= 4; i++) {
      bus.publish(log("bot-a", "m" + i));
    }

    assertEquals(List.of(1L, 2L, 3L, 4L), seqsOf(throwingsEvents.awaitCount(4)));
    assertEquals(List.of(1L, 2L, 3L, 4L), seqsOf(other.awaitCount(4)));
    bus.close();
    assertEquals(2, throwing.failed());
    assertEquals(4, throwing.delivered());
  }

  @Test
  void aThrowingFilterSkipsOnlyThatEvent() throws Exception {
    Recorder recorder = new Recorder();
    EventSubscription sub =
        bus.subscribe(
            "picky",
            recorder,
            e -> {
              if (e.seq() == 1) {
                throw new IllegalArgumentException("filter bug");
              }
              return true;
            });
    bus.publish(log("bot-a", "m1"));
    bus.publish(log("bot-a", "m2"));

    assertEquals(List.of(2L), seqsOf(recorder.awaitCount(1)));
    bus.close();
    assertEquals(1, sub.failed());
    assertEquals(1, sub.filtered());
    assertEquals(1, sub.delivered());
  }

  @Test
  void closingASubscriptionStopsDeliveryAndEndsItsThread() throws Exception {
    Recorder closed = new Recorder();
    EventSubscription sub = bus.subscribe("closed-soon", closed);
    Recorder other = new Recorder();
    bus.subscribe("other", other);
    bus.publish(log("bot-a", "before"));
    closed.awaitCount(1);
    Thread subscriptionThread = closed.thread();

    sub.close();

    assertTrue(sub.isClosed());
    assertFalse(subscriptionThread.isAlive());
    assertTrue(subscriptionThread.getName().startsWith("rehoboam-events-unit-test-"));
    assertEquals(1, bus.subscriberCount());
    for (int i = 0; i < 100; i++) {
      bus.publish(log("bot-a", "after-" + i));
    }
    other.awaitCount(101);
    assertEquals(List.of(1L), closed.seqs());
    assertEquals(1, sub.delivered());
    sub.close(); // closing twice is harmless
    assertTrue(sub.isClosed());
  }

  @Test
  void aListenerCanCloseItsOwnSubscriptionWithoutDeadlock() throws Exception {
    AtomicReference<EventSubscription> self = new AtomicReference<>();
    Recorder selfClosing = new Recorder();
    CountDownLatch subscribed = new CountDownLatch(1);
    EventSubscription sub =
        bus.subscribe(
            "self-closing",
            e -> {
              selfClosing.onEvent(e);
              try {
                subscribed.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
              self.get().close();
            });
    self.set(sub);
    subscribed.countDown();
    Recorder other = new Recorder();
    bus.subscribe("other", other);

    for (int i = 0; i < 5; i++) {
      bus.publish(log("bot-a", "m" + i));
    }
    other.awaitCount(5);
    selfClosing.awaitCount(1);
    Thread thread = selfClosing.thread();
    thread.join(TimeUnit.SECONDS.toMillis(30));

    assertFalse(thread.isAlive());
    assertTrue(sub.isClosed());
    assertEquals(List.of(1L), selfClosing.seqs());
  }

  @Test
  void subscribeValidatesItsArguments() {
    RehoboamException blank =
        assertThrows(RehoboamException.class, () -> bus.subscribe(" ", e -> {}, e -> true));
    assertEquals(ErrorCode.INVALID_ARGUMENT, blank.code());
    assertTrue(blank.getMessage().contains("name"), blank.getMessage());
    RehoboamException noListener =
        assertThrows(RehoboamException.class, () -> bus.subscribe("x", null, e -> true));
    assertTrue(noListener.getMessage().contains("listener"), noListener.getMessage());
    RehoboamException noFilter =
        assertThrows(RehoboamException.class, () -> bus.subscribe("x", e -> {}, null));
    assertTrue(noFilter.getMessage().contains("filter"), noFilter.getMessage());
    assertEquals(0, bus.subscriberCount());
  }

  @Test
  void subscriptionReportsItsNameAndCounts() throws Exception {
    Recorder recorder = new Recorder();
    EventSubscription sub = bus.subscribe("dashboard", recorder);
    bus.publish(system("started"));
    recorder.awaitCount(1);
    bus.close();

    assertEquals("dashboard", sub.name());
    assertEquals(1, sub.delivered());
    assertEquals(0, sub.dropped());
    assertNotNull(sub.toString());
    assertTrue(sub.toString().contains("dashboard"));
  }

  static List<Long> seqsOf(List<Event> events) {
    return events.stream().map(Event::seq).toList();
  }

  static List<String> messagesOf(List<Event> events) {
    return events.stream().map(e -> ((BotLogEvent) e).message()).toList();
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed to UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
