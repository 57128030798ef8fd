package io.rehoboam.bot.process.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds live processes by an environment entry through /proc, independently of the code under test.
 * Zombies (exited, not yet reaped by whoever adopted them) have an empty environment and are not
 * live.
 */
public final class Processes {
  private Processes() {}

  /** The pids of live processes whose environment holds {@code name=value}. */
  public static List<Long> withEnv(String name, String value) {
    String entry = name + "=" + value;
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        byte[] environ;
        try {
          environ = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException e) {
          continue;
        }
        List<String> entries =
            Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0"));
        if (entries.contains(entry)) {
          out.add(Long.parseLong(dir.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc", e);
    }
    return out;
  }

  /** The live processes of a bot: those marked {@code REHOBOAM_BOT_ID=<botId>}. */
  /**
   * Waits until exactly {@code count} processes carry the bot's marker: a process that just forked
   * or is inside exec shows its environment a moment later.
   */
  public static List<Long> awaitBot(String botId, int count) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    List<Long> found = ofBot(botId);
    while (found.size() != count && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      found = ofBot(botId);
    }
    return found;
  }

  public static List<Long> ofBot(String botId) {
    return withEnv("REHOBOAM_BOT_ID", botId);
  }

  /** {@code pid ppid pgid sid cmdline} of a live process, for assertion messages. */
  public static String describe(long pid) {
    try {
      Path dir = Path.of("/proc", Long.toString(pid));
      String stat = Files.readString(dir.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      String cmdline =
          new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ')
              .trim();
      return pid
          + " (ppid "
          + f[1]
          + ", pgid "
          + f[2]
          + ", sid "
          + f[3]
          + ", state "
          + f[0]
          + "): "
          + cmdline;
    } catch (IOException e) {
      return pid + " (gone)";
    }
  }

  /** Every live process of a bot, described. */
  public static List<String> describeBot(String botId) {
    List<String> out = new ArrayList<>();
    for (long pid : ofBot(botId)) {
      out.add(describe(pid));
    }
    return out;
  }

  /** The value of one variable in a live process's environment, or null. */
  public static String env(long pid, String name) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String e : new String(environ, StandardCharsets.UTF_8).split("\0")) {
        if (e.startsWith(name + "=")) {
          return e.substring(name.length() + 1);
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
