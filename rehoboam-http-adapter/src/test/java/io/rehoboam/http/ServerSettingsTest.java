package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  private static ServerSettings parse(String yaml) {
    RehoboamConfig config = ConfigLoader.parse(yaml, "server.yaml", Map.of());
    return ServerSettings.from(config);
  }

  private static RehoboamException invalid(String yaml) {
    RehoboamException e = assertThrows(RehoboamException.class, () -> parse(yaml));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
    return e;
  }

  @Test
  void anEmptySectionIsTheDefaults() {
    assertEquals(ServerSettings.DEFAULTS, parse(""));
    assertEquals("127.0.0.1", ServerSettings.DEFAULTS.bind());
    assertEquals(8000, ServerSettings.DEFAULTS.port());
  }

  @Test
  void everyKeyIsRead() {
    ServerSettings s =
        parse(
            """
            server:
              bind: localhost
              port: 9123
              max_body_bytes: 2048
              shutdown_timeout: 7s
              ws:
                max_queue: 10
                replay_buffer: 20
                heartbeat_interval: 250ms
                idle_timeout: 1m
                max_message_bytes: 4096
                close_timeout: 2s
            """);

    assertEquals("localhost", s.bind());
    assertEquals(9123, s.port());
    assertEquals(2048, s.maxBodyBytes());
    assertEquals(Duration.ofSeconds(7), s.shutdownTimeout());
    assertEquals(
        new ServerSettings.WebSocketSettings(
            10, 20, Duration.ofMillis(250), Duration.ofMinutes(1), 4096, Duration.ofSeconds(2)),
        s.webSocket());
  }

  @Test
  void unknownKeysNameTheFileAndTheKey() {
    RehoboamException top = invalid("server:\n  colour: blue\n");
    RehoboamException ws = invalid("server:\n  ws:\n    speed: 3\n");

    assertTrue(
        top.getMessage().startsWith("server.yaml: server: unknown key 'colour'"), top.getMessage());
    assertTrue(
        ws.getMessage().startsWith("server.yaml: server.ws: unknown key 'speed'"), ws.getMessage());
  }

  @Test
  void badValuesNameTheFileAndTheKey() {
    assertTrue(
        invalid("server:\n  port: lots\n").getMessage().startsWith("server.yaml: server.port:"));
    assertTrue(
        invalid("server:\n  port: 70000\n").getMessage().startsWith("server.yaml: server.port:"));
    assertTrue(
        invalid("server:\n  ws:\n    max_queue: 0\n")
            .getMessage()
            .startsWith("server.yaml: server.ws.max_queue:"));
    assertTrue(
        invalid("server:\n  ws:\n    heartbeat_interval: often\n")
            .getMessage()
            .startsWith("server.yaml: server.ws.heartbeat_interval:"));
    assertTrue(invalid("server:\n  ws: 5\n").getMessage().startsWith("server.yaml: server.ws"));
  }

  @Test
  void loopbackAddressesAreAcceptedWithoutKeys() {
    for (String bind : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
      assertTrue(ServerSettings.DEFAULTS.withBind(bind).listenAddress().isLoopbackAddress(), bind);
    }
  }

  @Test
  void bindingBeyondLoopbackWithoutKeysIsRefusedWithAClearMessage() {
    for (String bind : new String[] {"0.0.0.0", "::", "10.1.2.3"}) {
      RehoboamException e =
          assertThrows(
              RehoboamException.class,
              () -> ServerSettings.DEFAULTS.withBind(bind).listenAddress(),
              bind);
      assertEquals(ErrorCode.INVALID_CONFIG, e.code());
      assertTrue(
          e.getMessage().startsWith("server.bind: '" + bind + "' is not a loopback"),
          e.getMessage());
      assertTrue(e.getMessage().contains("server.keys is empty"), e.getMessage());
      assertTrue(e.getMessage().contains("start, stop and execute"), e.getMessage());
    }
  }

  @Test
  void bindingBeyondLoopbackIsAllowedWithAKey() {
    ServerSettings withKey =
        ServerSettings.DEFAULTS
            .withBind("0.0.0.0")
            .withKeys(List.of(ApiKey.ofKey("ops", "k".repeat(32), Set.of(Scope.READ))));

    assertTrue(withKey.listenAddress().isAnyLocalAddress());
  }

  @Test
  void theAdapterRefusesToStartBeyondLoopback() {
    try (ArbitrageService service =
        ArbitrageService.builder().discoverProviders(false).env(Map.of()).build()) {
      HttpAdapter http =
          HttpAdapter.builder(service)
              .settings(ServerSettings.DEFAULTS.withBind("0.0.0.0").withPort(0))
              .build();

      RehoboamException e = assertThrows(RehoboamException.class, http::start);

      assertTrue(e.getMessage().startsWith("server.bind:"), e.getMessage());
      assertTrue(e.getMessage().contains("server.keys is empty"), e.getMessage());
      http.close();
    }
  }
}
