package io.rehoboam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "tail",
    description =
        "A bot's last log lines; -f follows new ones over the WebSocket until Ctrl+C or the server"
            + " closes.")
final class TailCommand extends ApiCommand {
  @Parameters(paramLabel = "BOT", description = "Bot id")
  String bot;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "20",
      description = "How many lines first (default ${DEFAULT-VALUE})")
  int lines;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    JsonNode last =
        api().get("/api/arbitrage/bots/" + bot + "/logs", Map.of("lines", Integer.toString(lines)));
    if (json() && !follow) {
      printJson(last);
      return 0;
    }
    if (!follow) {
      last.get("lines").forEach(l -> out().println(l.asText()));
      out().flush();
      return 0;
    }
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch hello = new CountDownLatch(1);
    // Subscribed before the history is printed: a line in between may show twice, none is lost.
    WebSocket socket =
        api()
            .webSocket(
                "bot:" + bot,
                new WebSocket.Listener() {
                  private final StringBuilder partial = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket ws, CharSequence data, boolean lastPart) {
                    partial.append(data);
                    if (lastPart) {
                      onMessage(partial.toString(), hello);
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    hello.countDown();
                    closed.countDown();
                    return CompletableFuture.completedFuture(null);
                  }

                  @Override
                  public void onError(WebSocket ws, Throwable error) {
                    hello.countDown();
                    closed.countDown();
                  }
                });
    try {
      hello.await();
      last.get("lines").forEach(l -> out().println(l.asText()));
      out().flush();
      closed.await();
    } finally {
      socket.abort();
    }
    return 0;
  }

  private void onMessage(String text, CountDownLatch hello) {
    JsonNode m;
    try {
      m = Api.JSON.readTree(text);
    } catch (java.io.IOException e) {
      return;
    }
    String type = m.path("type").asText();
    if (type.equals("hello")) {
      hello.countDown();
    } else if (type.equals("bot.log") && bot.equals(m.path("bot_id").asText())) {
      synchronized (this) {
        if (json()) {
          out().println(m.toString());
        } else {
          out()
              .println(
                  m.path("at").asText()
                      + " "
                      + m.path("level").asText().toUpperCase(java.util.Locale.ROOT)
                      + " "
                      + m.path("message").asText());
        }
        out().flush();
      }
    }
  }
}
