package io.rehoboam.http.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's table of TCP sockets (Linux {@code /proc/net/tcp} and {@code tcp6}): whether the
 * server side of a connection still exists, in whatever state, queued bytes and all.
 */
public final class TcpTable {
  private TcpTable() {}

  /** Whether a socket with local port {@code localPort} connected to {@code remotePort} exists. */
  public static boolean hasSocket(int localPort, int remotePort) {
    return !rows(localPort, remotePort).isEmpty();
  }

  /** The matching rows, for a failure message. */
  public static String describe(int localPort, int remotePort) {
    return rows(localPort, remotePort).toString();
  }

  private static List<String> rows(int localPort, int remotePort) {
    String local = String.format(Locale.ROOT, ":%04X", localPort);
    String remote = String.format(Locale.ROOT, ":%04X", remotePort);
    List<String> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(path)) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 4 && f[1].endsWith(local) && f[2].endsWith(remote)) {
            out.add(line.trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
