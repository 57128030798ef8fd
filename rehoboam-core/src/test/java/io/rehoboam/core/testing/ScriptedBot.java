package io.rehoboam.core.testing;

import io.rehoboam.spi.Bot;
import io.rehoboam.spi.BotContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A bot whose start and stop do what the test says: succeed, throw, or block until released. */
public final class ScriptedBot implements Bot {
  /** What start() or stop() does. */
  public enum Action {
    SUCCEED,
    THROW,
    BLOCK
  }

  public final BotContext context;
  public final int number;
  public volatile Action onStart = Action.SUCCEED;
  public volatile Action onStop = Action.SUCCEED;
  public volatile String failureMessage = "boom";
  public final CountDownLatch startEntered = new CountDownLatch(1);
  public final CountDownLatch stopEntered = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);
  public final AtomicInteger starts = new AtomicInteger();
  public final AtomicInteger stops = new AtomicInteger();

  public ScriptedBot(BotContext context, int number) {
    this.context = context;
    this.number = number;
  }

  @Override
  public void start() throws Exception {
    starts.incrementAndGet();
    startEntered.countDown();
    act(onStart);
  }

  @Override
  public void stop(Duration timeout) throws Exception {
    stops.incrementAndGet();
    stopEntered.countDown();
    act(onStop);
  }

  private void act(Action action) throws Exception {
    switch (action) {
      case SUCCEED -> {}
      case THROW -> throw new IllegalStateException(failureMessage);
      case BLOCK -> release.await();
    }
  }
}
