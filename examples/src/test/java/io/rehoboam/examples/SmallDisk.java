package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small filesystem a test can fill and free under a server process: a tmpfs of a few megabytes
 * mounted for the test where mounting is allowed (root), else the server's file-size limit ({@code
 * RLIMIT_FSIZE}, set with {@code prlimit} on the running process) lowered to the size its files
 * have and raised again, which fails a write that would grow a file the same way a full disk does.
 */
final class SmallDisk {
  private static final long SIZE_BYTES = 16L << 20;

  private final Path root;
  private final boolean tmpfs;
  private Path filler;

  private SmallDisk(Path root, boolean tmpfs) {
    this.root = root;
    this.tmpfs = tmpfs;
  }

  /** A tmpfs at {@code dir} when it can be mounted, else a plain directory there. */
  static SmallDisk create(Path dir) throws Exception {
    Files.createDirectories(dir);
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=" + SIZE_BYTES, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
    return new SmallDisk(dir, mounted);
  }

  Path root() {
    return root;
  }

  /** Which kind this is, for messages. */
  String kind() {
    return tmpfs ? "tmpfs of " + (SIZE_BYTES >> 20) + " MiB" : "file-size limit (prlimit)";
  }

  /** Leaves no room to grow a file of the server with this pid. */
  void fill(long serverPid, Path journalFile) throws Exception {
    if (tmpfs) {
      filler = root.resolve("filler");
      byte[] block = new byte[64 * 1024];
      try (OutputStream out = Files.newOutputStream(filler)) {
        while (true) {
          out.write(block);
        }
      } catch (IOException full) {
        assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
      }
    } else {
      prlimit(serverPid, Long.toString(Files.size(journalFile)));
    }
  }

  /** Gives the room back. */
  void free(long serverPid) throws Exception {
    if (tmpfs) {
      Files.deleteIfExists(filler);
    } else {
      prlimit(serverPid, "unlimited");
    }
  }

  /** Unmounts the tmpfs (everything on it is gone). */
  void close() throws Exception {
    if (tmpfs) {
      Process umount =
          new ProcessBuilder("umount", "-l", root.toString()).redirectErrorStream(true).start();
      umount.getInputStream().readAllBytes();
      umount.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void prlimit(long pid, String soft) throws Exception {
    Process p =
        new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + soft + ":")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "prlimit: " + out);
  }
}
