package io.rehoboam.bot.process;

import io.rehoboam.bot.process.internal.ProcessControl;
import io.rehoboam.spi.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the processes a previous service of the same owner left running: a service killed with
 * {@code kill -9} cannot stop its bots, and their programs (and what those started, which inherit
 * the markers) keep running. Every process whose environment holds {@code REHOBOAM_OWNER=<owner>}
 * gets SIGTERM, and SIGKILL after a grace period. Linux only ({@code /proc}); elsewhere nothing is
 * found.
 *
 * <p>Call it before the new service starts any bot, and only while holding the owner: the
 * standalone server does it after it has locked its data directory's journal, so no live service
 * can own the processes it ends.
 */
public final class LeftoverProcesses {
  private static final Logger log = LoggerFactory.getLogger(LeftoverProcesses.class);
  private static final Duration KILL_WAIT = Duration.ofSeconds(2);

  private LeftoverProcesses() {}

  /**
   * Ends every live process marked with this owner and returns their pids (empty when none).
   *
   * @param grace how long they may take to exit after SIGTERM before SIGKILL
   */
  public static List<Long> reap(String owner, Duration grace) {
    Checks.notBlank(owner, "owner");
    Checks.notNull(grace, "grace");
    List<Long> found = ProcessControl.marked(ProcessBotSettings.OWNER_VARIABLE, owner);
    if (found.isEmpty()) {
      return List.of();
    }
    log.warn("Ending {} process(es) left by a previous run of {}: {}", found.size(), owner, found);
    List<ProcessHandle> handles = new ArrayList<>();
    for (long pid : found) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      h.ifPresent(
          p -> {
            p.destroy();
            handles.add(p);
          });
    }
    if (!awaitExit(handles, grace)) {
      handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(handles, KILL_WAIT)) {
        log.warn(
            "Processes left by a previous run of {} are still alive after SIGKILL: {}",
            owner,
            handles.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
      }
    }
    return List.copyOf(found);
  }

  private static boolean awaitExit(List<ProcessHandle> handles, Duration timeout) {
    CompletableFuture<?>[] exits =
        handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return handles.stream().noneMatch(ProcessHandle::isAlive);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
