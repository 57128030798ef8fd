package io.rehoboam.bot.process.internal;

import io.rehoboam.bot.process.StopSignal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system side of supervision: finding programs, signalling a process or a whole
 * process group, and finding every process that carries a marker in its environment (Linux {@code
 * /proc}; elsewhere the marker scan finds nothing). Stateless and thread-safe.
 */
public final class ProcessControl {
  private static final Logger log = LoggerFactory.getLogger(ProcessControl.class);
  private static final Path PROC = Path.of("/proc");

  private ProcessControl() {}

  /**
   * Finds a program the way {@code execvp} would: a name with a slash is a path (relative to {@code
   * workingDir}), any other name is looked up in {@code searchPath}.
   */
  public static Optional<Path> findExecutable(String program, String searchPath, Path workingDir) {
    Path base = workingDir != null ? workingDir : Path.of("").toAbsolutePath();
    if (program.contains("/")) {
      Path p = base.resolve(program);
      return isExecutableFile(p) ? Optional.of(p) : Optional.empty();
    }
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(":", -1)) {
      Path p = (dir.isEmpty() ? base : base.resolve(dir)).resolve(program);
      if (isExecutableFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  /** Whether this system has {@code /proc} with process environments (Linux). */
  public static boolean hasProc() {
    return Files.isReadable(PROC.resolve("self/environ"));
  }

  /**
   * Sends {@code signal} to process group {@code pgid} with the {@code kill} program. Returns false
   * when the group no longer exists or the signal could not be sent.
   */
  public static boolean signalGroup(Path kill, long pgid, StopSignal signal) {
    return runKill(kill, signal, "-" + pgid);
  }

  /** Sends {@code signal} to one process. */
  public static boolean signalProcess(Path kill, long pid, StopSignal signal) {
    if (signal == StopSignal.KILL) {
      return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
    }
    if (signal == StopSignal.TERM) {
      return ProcessHandle.of(pid).map(ProcessHandle::destroy).orElse(false);
    }
    return runKill(kill, signal, Long.toString(pid));
  }

  private static boolean runKill(Path kill, StopSignal signal, String target) {
    ProcessBuilder pb =
        new ProcessBuilder(kill.toString(), "-s", signal.name(), "--", target)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      log.warn("Could not run {} to send SIG{} to {}: {}", kill, signal, target, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The live processes whose environment contains exactly {@code name=value}, found through {@code
   * /proc}. Zombies (already dead, not yet reaped) have no environment and are not listed.
   */
  public static List<Long> marked(String name, String value) {
    byte[] needle = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
    List<Long> out = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
      for (Path dir : dirs) {
        String fileName = dir.getFileName().toString();
        if (!isDigits(fileName)) {
          continue;
        }
        long pid = Long.parseLong(fileName);
        if (pid == self) {
          continue;
        }
        byte[] environ;
        try {
          environ = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException | SecurityException e) {
          continue; // gone meanwhile, or not ours to read
        }
        if (containsEntry(environ, needle)) {
          out.add(pid);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return out;
  }

  static boolean containsEntry(byte[] environ, byte[] entry) {
    int last = environ.length - entry.length;
    for (int start = 0; start <= last; start++) {
      if (start > 0 && environ[start - 1] != 0) {
        continue;
      }
      int end = start + entry.length;
      if (end < environ.length && environ[end] != 0) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < entry.length; i++) {
        if (environ[start + i] != entry[i]) {
          match = false;
          break;
        }
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
