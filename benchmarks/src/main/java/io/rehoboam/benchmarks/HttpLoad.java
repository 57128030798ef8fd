package io.rehoboam.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second and latency percentiles of one GET endpoint of a real server on loopback
 * ({@link LoadServer}), driven by {@code connections} keep-alive HTTP/1.1 connections, each a
 * thread that sends a request, reads the whole response and sends the next (closed loop). The
 * client is a few lines over a socket rather than the JDK HttpClient, which on a 2-core machine
 * would measure itself more than the server. Run by hand (see benchmarks/README.md):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rehoboam.benchmarks.HttpLoad \
 *     [--seconds 10] [--warmup 5] [--connections 64] [--book 10000] [--path /api/arbitrage/bots]
 *     [--serve SECONDS | --port P]
 * </pre>
 *
 * <p>With {@code --serve N} it only runs the server for N seconds and prints its port, for an
 * outside load generator (for example {@code wrk -t2 -c64 -d10s --latency URL}) or for this class
 * in another JVM with {@code --port P}: then it only drives the server already listening on
 * loopback port P, so that neither JVM's garbage collection pauses the other.
 *
 * <p>Prints one line per path: requests, requests per second, p50, p99, p99.9 and max latency, and
 * the count of non-200 answers (which fails the run); then the heap in use and the process's
 * resident memory sampled across the measured run (client and server share the process). With
 * {@code --book N} a bot adds N opportunities to the book first.
 */
public final class HttpLoad {
  private HttpLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = 10;
    int warmup = 5;
    int connections = 64;
    int serve = 0;
    int book = 0;
    int target = 0;
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--path" -> paths.add(args[++i]);
        case "--serve" -> serve = Integer.parseInt(args[++i]);
        case "--book" -> book = Integer.parseInt(args[++i]);
        case "--port" -> target = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (paths.isEmpty()) {
      paths = List.of("/api/arbitrage/bots", "/api/arbitrage/opportunities?limit=50");
    }
    if (target > 0) {
      System.out.printf(
          "server of another process on 127.0.0.1:%d, %d connections, %d s warm-up, %d s"
              + " measured%n",
          target, connections, warmup, seconds);
      measure(target, paths, connections, warmup, seconds);
      return;
    }
    try (LoadServer server = new LoadServer(1024, book)) {
      int port = server.http.port();
      if (serve > 0) {
        // Only the server, for an outside load generator such as wrk.
        System.out.printf("serving on http://127.0.0.1:%d for %d s%n", port, serve);
        Thread.sleep(serve * 1000L);
        return;
      }
      System.out.printf(
          "server on 127.0.0.1:%d, %d connections, %d s warm-up, %d s measured, book %d%n",
          port,
          connections,
          warmup,
          seconds,
          server
              .service
              .opportunities(
                  io.rehoboam.core.book.OpportunityFilter.all()
                      .withLimit(io.rehoboam.core.book.OpportunityFilter.MAX_LIMIT))
              .size());
      measure(port, paths, connections, warmup, seconds);
    }
  }

  private static void measure(
      int port, List<String> paths, int connections, int warmup, int seconds)
      throws InterruptedException {
    for (String path : paths) {
      run(port, path, connections, warmup, false);
      MemorySampler memory = new MemorySampler(Math.max(1, seconds / 6));
      memory.start();
      Result r = run(port, path, connections, seconds, true);
      memory.stop();
      System.out.println(r.line(path));
      System.out.println("  memory (heap used MiB / process RSS MiB): " + memory.samples());
      if (r.errors > 0) {
        throw new IllegalStateException(r.errors + " answers were not 200");
      }
    }
  }

  record Result(long requests, double seconds, long[] latencies, long errors) {
    String line(String path) {
      Arrays.sort(latencies);
      return String.format(
          Locale.ROOT,
          "%-45s %9d req %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms  p99.9 %6.3f ms  max %7.3f ms"
              + "  non-200 %d",
          path,
          requests,
          requests / seconds,
          pct(0.50),
          pct(0.99),
          pct(0.999),
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
          errors);
    }

    private double pct(double p) {
      if (latencies.length == 0) {
        return 0;
      }
      int i = (int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1);
      return latencies[Math.max(0, i)] / 1e6;
    }
  }

  static Result run(int port, String path, int connections, int seconds, boolean record)
      throws InterruptedException {
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong errors = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(connections);
    CountDownLatch go = new CountDownLatch(1);
    long[][] perThread = new long[connections][];
    int[] counts = new int[connections];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int index = c;
      Thread t =
          new Thread(
              () -> {
                long[] lat = new long[record ? 1 << 16 : 0];
                int n = 0;
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                  ready.countDown();
                  go.await();
                  while (!stop.get()) {
                    long start = System.nanoTime();
                    out.write(request);
                    out.flush();
                    int status = readResponse(in);
                    long took = System.nanoTime() - start;
                    if (status != 200) {
                      errors.incrementAndGet();
                    }
                    if (record) {
                      if (n == lat.length) {
                        lat = Arrays.copyOf(lat, lat.length * 2);
                      }
                      lat[n] = took;
                    }
                    n++;
                  }
                } catch (IOException e) {
                  errors.incrementAndGet();
                  ready.countDown();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                perThread[index] = Arrays.copyOf(lat, record ? n : 0);
                counts[index] = n;
              },
              "load-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    ready.await();
    long started = System.nanoTime();
    go.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    double elapsed = (System.nanoTime() - started) / 1e9;
    for (Thread t : threads) {
      t.join(10_000);
    }
    long total = 0;
    int recorded = 0;
    for (int c = 0; c < connections; c++) {
      total += counts[c];
      recorded += perThread[c] == null ? 0 : perThread[c].length;
    }
    long[] all = new long[recorded];
    int at = 0;
    for (long[] lat : perThread) {
      if (lat != null) {
        System.arraycopy(lat, 0, all, at, lat.length);
        at += lat.length;
      }
    }
    return new Result(total, elapsed, all, errors.get());
  }

  /** Reads one response (status line, headers, a Content-Length body); returns the status. */
  static int readResponse(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = 0;
    boolean chunked = false;
    String header;
    while ((header = line(in)) != null && !header.isEmpty()) {
      if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Long.parseLong(header.substring(15).trim());
      } else if (header.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)
          && header.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      while (true) {
        String size = line(in);
        if (size == null) {
          throw new IOException("connection closed in a chunked body");
        }
        int semicolon = size.indexOf(';');
        long chunk =
            Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (chunk == 0) {
          while ((header = line(in)) != null && !header.isEmpty()) {
            // trailers
          }
          return status;
        }
        skip(in, chunk);
        line(in);
      }
    }
    skip(in, length);
    return status;
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    long length = bytes;
    while (length > 0) {
      long skipped = in.skip(length);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed in a body");
        }
        skipped = 1;
      }
      length -= skipped;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) b);
    }
    return sb.length() == 0 ? null : sb.toString();
  }
}
