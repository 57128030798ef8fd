package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server sends {@code server.notifications} to a local Telegram stand-in. */
class ServerNotificationsTest {
  private static final String TOKEN = "4242:server-test-secret-token";

  @TempDir Path dir;

  @Test
  void aKillSwitchTripReachesTheTelegramChat() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    List<String> bodies = new CopyOnWriteArrayList<>();
    CountDownLatch arrived = new CountDownLatch(1);
    HttpServer telegram =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    telegram.createContext(
        "/",
        x -> {
          paths.add(x.getRequestURI().getPath());
          bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] ok = "{\"ok\":true,\"result\":{}}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, ok.length);
          x.getResponseBody().write(ok);
          x.close();
          arrived.countDown();
        });
    telegram.start();
    Path config = dir.resolve("notify.yaml");
    Files.writeString(
        config,
        """
        server:
          notifications:
            sinks:
              - id: ops
                type: telegram
                api_url: http://127.0.0.1:%d
                token_env: TELEGRAM_BOT_TOKEN
                chat_id_env: TELEGRAM_CHAT_ID
                events: [kill_switch]
                batch_window: 0s
        """
            .formatted(telegram.getAddress().getPort()));
    StandaloneServer server =
        StandaloneServer.start(
            StandaloneServer.Options.parse(
                new String[] {
                  "--config", config.toString(), "--port", "0", "--data-dir", dir.toString()
                }),
            Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHAT_ID", "5150"));
    try {
      server.service().tripKillSwitch("operator test", "ops");
      assertTrue(arrived.await(20, TimeUnit.SECONDS), "the chat got a message");
      assertEquals("/bot" + TOKEN + "/sendMessage", paths.get(0));
      assertTrue(bodies.get(0).contains("\"chat_id\":\"5150\""), bodies.get(0));
      assertTrue(bodies.get(0).contains("kill switch tripped"), bodies.get(0));
      assertFalse(bodies.get(0).contains(TOKEN));
    } finally {
      server.stop();
      telegram.stop(0);
    }
  }

  @Test
  void aBadNotificationsSectionIsAConfigurationError() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        """
        server:
          notifications:
            sinks:
              - {id: ops, type: telegram, token_env: MISSING_TOKEN, chat_id_env: X}
        """);
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                StandaloneServer.start(
                    StandaloneServer.Options.parse(
                        new String[] {
                          "--config", config.toString(), "--port", "0", "--data-dir", dir.toString()
                        }),
                    Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(
        e.getMessage()
            .startsWith(
                "server.notifications.sinks[0].token_env: the environment variable"
                    + " 'MISSING_TOKEN' is not set"),
        e.getMessage());
  }
}
