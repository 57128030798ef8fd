package io.rehoboam.bot.process.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (A copy of rehoboam-core's test scheduler, with {@link #pendingOneShotDelays()} added.)
 *
 * <p>A scheduler driven by the test: tasks run only when {@link #advance} moves the {@link
 * MutableClock} past their due time, on the calling thread, in due-time order. Lets tests check
 * backoff delays and timeouts without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final AtomicLong order = new AtomicLong();
  private volatile boolean shutdown;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way. */
  public void advance(Duration d) {
    Instant target = clock.instant().plus(d);
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(target)) {
          break;
        }
        queue.poll();
      }
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
      next.runOnce();
    }
    clock.set(target);
  }

  /** Runs the tasks due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Delays from now of the tasks still waiting (cancelled ones excluded), soonest first. */
  public synchronized List<Duration> pendingDelays() {
    List<Task<?>> tasks = new ArrayList<>(queue);
    tasks.sort(null);
    List<Duration> out = new ArrayList<>();
    for (Task<?> t : tasks) {
      if (!t.isCancelled()) {
        out.add(Duration.between(clock.instant(), t.due));
      }
    }
    return out;
  }

  /**
   * Like {@link #pendingDelays()}, but only one-shot timers (the engine's periodic housekeeping is
   * left out): what a bot's supervision has armed.
   */
  public synchronized List<Duration> pendingOneShotDelays() {
    List<Task<?>> tasks = new ArrayList<>(queue);
    tasks.sort(null);
    List<Duration> out = new ArrayList<>();
    for (Task<?> t : tasks) {
      if (!t.isCancelled() && t.periodNanos == 0) {
        out.add(Duration.between(clock.instant(), t.due));
      }
    }
    return out;
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    queue.add(task);
    return task;
  }

  private synchronized void remove(Task<?> task) {
    queue.remove(task);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(
        new Task<>(
            () -> {
              command.run();
              return null;
            },
            due(delay, unit),
            0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, due(delay, unit), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(
        new Task<>(
            () -> {
              command.run();
              return null;
            },
            due(initialDelay, unit),
            unit.toNanos(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  private Instant due(long delay, TimeUnit unit) {
    return clock.instant().plusNanos(unit.toNanos(Math.max(0, delay)));
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    queue.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  @Override
  public <T> List<java.util.concurrent.Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks) {
    throw new UnsupportedOperationException("not used by the engine");
  }

  private final class Task<V> implements ScheduledFuture<V> {
    private final Callable<V> body;
    private final long seq = order.incrementAndGet();
    private final long periodNanos;
    private volatile Instant due;
    private volatile boolean cancelled;
    private volatile boolean done;
    private V result;
    private Throwable failure;

    Task(Callable<V> body, Instant due, long periodNanos) {
      this.body = body;
      this.due = due;
      this.periodNanos = periodNanos;
    }

    void runOnce() {
      if (cancelled) {
        return;
      }
      try {
        result = body.call();
      } catch (Exception e) {
        failure = e;
        done = true;
        return;
      }
      if (periodNanos > 0 && !cancelled) {
        due = due.plusNanos(periodNanos);
        add(this);
      } else {
        done = true;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(clock.instant(), due));
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> other = (Task<?>) o;
      int c = due.compareTo(other.due);
      return c != 0 ? c : Long.compare(seq, other.seq);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (done) {
        return false;
      }
      cancelled = true;
      remove(this);
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public V get() throws ExecutionException {
      if (failure != null) {
        throw new ExecutionException(failure);
      }
      return result;
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }
}
