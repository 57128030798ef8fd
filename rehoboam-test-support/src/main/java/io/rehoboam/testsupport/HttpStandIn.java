package io.rehoboam.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server on loopback standing in for an outside service this machine cannot reach (a
 * chat-completions API, the Telegram Bot API, a chat webhook): it records every request and answers
 * from a script, then with {@code defaultAnswer}, so a test checks what was sent.
 */
public final class HttpStandIn implements AutoCloseable {
  /** One request as it arrived. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    /** The first value of a header, by name in any case; null when absent. */
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** One scripted answer. */
  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer ok(String body) {
      return new Answer(200, Map.of(), body);
    }
  }

  private final HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Semaphore arrived = new Semaphore(0);

  /** When set, each request waits for it before being answered (a receiver that hangs). */
  public volatile java.util.concurrent.CountDownLatch hold;

  public volatile Answer defaultAnswer = Answer.ok("{\"ok\":true,\"result\":{}}");

  /** Starts it on a free loopback port. */
  public HttpStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers the next requests with these, in order. */
  public synchronized void then(Answer... answers) {
    script.addAll(List.of(answers));
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    java.util.concurrent.CountDownLatch h = hold;
    if (h != null) {
      try {
        if (!h.await(30, TimeUnit.SECONDS)) {
          x.close();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        x.close();
        return;
      }
    }
    Answer answer;
    synchronized (this) {
      answer = script.isEmpty() ? defaultAnswer : script.poll();
    }
    requests.add(
        new Request(
            x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestHeaders(), body));
    answer.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.getResponseHeaders().add("Content-Type", "application/json");
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
    arrived.release();
  }

  /** Waits until {@code n} requests in all have arrived; false after 20 s. */
  public boolean await(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (requests.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !arrived.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        return requests.size() >= n;
      }
    }
    return true;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
