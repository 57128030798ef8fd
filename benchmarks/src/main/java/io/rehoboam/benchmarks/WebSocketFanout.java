package io.rehoboam.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events per second delivered to {@code clients} WebSocket clients of a real server on loopback
 * ({@link LoadServer}): the service publishes {@code events} system events as fast as it can and
 * every client must receive every one (a client that fell {@code max_queue} behind would be
 * disconnected, which fails the run). The figure is clients × events / (time from the first publish
 * to the last delivery). Run by hand (see benchmarks/README.md):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rehoboam.benchmarks.WebSocketFanout \
 *     [--clients 100] [--events 20000] [--rounds 3]
 * </pre>
 */
public final class WebSocketFanout {
  private WebSocketFanout() {}

  public static void main(String[] args) throws Exception {
    int clients = 100;
    int events = 20_000;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    // Room for a whole round per client: the run measures delivery, not the slow-client cut-off.
    try (LoadServer server = new LoadServer(events + 1024)) {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create(server.http.webSocketUri() + "?topics=system");
      for (int round = 0; round <= rounds; round++) {
        String marker = "round-" + round;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong lastDelivery = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        CountDownLatch hello = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
          sockets.add(
              http.newWebSocketBuilder()
                  .buildAsync(uri, new Counter(marker, events, hello, done, lastDelivery))
                  .get(10, TimeUnit.SECONDS));
        }
        if (!hello.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not every client got its hello");
        }
        long start = System.nanoTime();
        for (int e = 0; e < events; e++) {
          server.service.publishSystemEvent("bench", marker);
        }
        long published = System.nanoTime();
        if (!done.await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              done.getCount() + " clients did not receive every event (dropped or too slow)");
        }
        double seconds = (lastDelivery.get() - start) / 1e9;
        if (round > 0) { // round 0 warms up
          System.out.printf(
              Locale.ROOT,
              "%d clients x %d events: %.0f deliveries/s (%.3f s; published in %.3f s, %.0f"
                  + " events/s)%n",
              clients,
              events,
              (double) clients * events / seconds,
              seconds,
              (published - start) / 1e9,
              events / ((published - start) / 1e9));
        }
        for (WebSocket s : sockets) {
          s.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Counts the round's events; the marker is in each event's message. */
  private static final class Counter implements WebSocket.Listener {
    private final String marker;
    private final int expected;
    private final CountDownLatch hello;
    private final CountDownLatch done;
    private final AtomicLong lastDelivery;
    private final StringBuilder partial = new StringBuilder();
    private int seen;
    private boolean greeted;

    Counter(
        String marker,
        int expected,
        CountDownLatch hello,
        CountDownLatch done,
        AtomicLong lastDelivery) {
      this.marker = "\"message\":\"" + marker + "\"";
      this.expected = expected;
      this.hello = hello;
      this.done = done;
      this.lastDelivery = lastDelivery;
    }

    @Override
    public void onOpen(WebSocket socket) {
      socket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (!last) {
        return null;
      }
      String text = partial.toString();
      partial.setLength(0);
      if (!greeted && text.contains("\"type\":\"hello\"")) {
        greeted = true;
        hello.countDown();
      } else if (text.contains(marker) && ++seen == expected) {
        lastDelivery.accumulateAndGet(System.nanoTime(), Math::max);
        done.countDown();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      if (seen < expected) {
        System.err.println("client closed by the server: " + code + " " + reason);
      }
      return null;
    }
  }
}
