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
            10,
            20,
            Duration.ofMillis(250),
            Duration.ofMinutes(1),
            4096,
            Duration.ofSeconds(2),
            ServerSettings.WebSocketSettings.DEFAULTS.maxQueueBytes()),
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

  // ---------------------------------------------------------------- security sections

  private static ServerSettings parse(String yaml, Map<String, String> env) {
    return ServerSettings.from(ConfigLoader.parse(yaml, "server.yaml", Map.of()), env);
  }

  private static String invalid(String yaml, Map<String, String> env) {
    RehoboamException e = assertThrows(RehoboamException.class, () -> parse(yaml, env));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void keysComeAsHashesOrFromTheEnvironmentAndAreNeverShown() {
    String key = "env-key-0123456789abcdef";
    ServerSettings s =
        parse(
            """
            server:
              keys:
                - {id: ops, hash: "%s", scopes: [read, control, execute]}
                - {id: dash, key_env: DASH_KEY, scopes: read}
              allow_unauthenticated_execute: true
            """
                .formatted(ApiKey.hash("ops-key-0123456789abcdef")),
            Map.of("DASH_KEY", key));

    assertEquals(List.of("ops", "dash"), s.keys().stream().map(ApiKey::id).toList());
    assertEquals(Set.of(Scope.READ), s.keys().get(1).scopes());
    assertEquals(ApiKey.hash(key), ApiKey.HASH_PREFIX + s.keys().get(1).sha256());
    assertTrue(s.allowUnauthenticatedExecute());
    assertTrue(s.authenticationRequired());
    String shown = s.toString();
    assertTrue(shown.contains("ApiKey[id=dash, scopes=[read]]"), shown);
    assertTrue(!shown.contains(key) && !shown.contains(s.keys().get(1).sha256()), shown);
  }

  @Test
  void aHashMatchesSha256sumOfTheKey() {
    // printf %s 'abc' | sha256sum
    assertEquals(
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ApiKey.hash("abc"));
  }

  @Test
  void badKeysNameTheKeyAndTheProblem() {
    assertTrue(
        invalid(
                "server:\n  keys:\n    - {id: ops, key: supersecretvalue123, scopes: [read]}\n",
                Map.of())
            .startsWith(
                "server.yaml: server.keys[0].key: a key itself never goes in the configuration"));
    assertTrue(
        invalid("server:\n  keys:\n    - {id: ops, key_env: NOPE, scopes: [read]}\n", Map.of())
            .contains("server.keys[ops].key_env: the environment variable 'NOPE' is not set"));
    assertTrue(
        invalid(
                "server:\n  keys:\n    - {id: ops, key_env: SHORT, scopes: [read]}\n",
                Map.of("SHORT", "abc"))
            .contains("server.keys[ops].key: must be at least 16 characters"));
    assertTrue(
        invalid("server:\n  keys:\n    - {id: ops, hash: md5:abc, scopes: [read]}\n", Map.of())
            .contains("server.keys[ops].hash: expected sha256:<64 lower-case hex digits>"));
    assertTrue(
        invalid(
                "server:\n  keys:\n    - {id: ops, hash: \"%s\", scopes: [admin]}\n"
                    .formatted(ApiKey.hash("x")),
                Map.of())
            .contains("server.keys[ops].scopes: unknown scope 'admin'"));
    assertTrue(
        invalid("server:\n  keys:\n    - {id: ops, scopes: [read]}\n", Map.of())
            .contains("give exactly one of hash"));
    assertTrue(
        invalid(
                "server:\n  keys:\n    - {id: a, hash: \"%1$s\", scopes: [read]}\n    - {id: b, hash: \"%1$s\", scopes: [read]}\n"
                    .formatted(ApiKey.hash("x")),
                Map.of())
            .contains("is the same key as another one"));
  }

  @Test
  void rateLimitsCorsTlsAndAlertsAreRead() {
    ServerSettings s =
        parse(
            """
            server:
              rate_limit:
                per_key: {rate: 5, burst: 10}
                per_address: {rate: 0}
              cors:
                allowed_origins: [https://dash.example.com]
              tls:
                keystore: /etc/rehoboam/server.p12
                keystore_password_env: KS_PASS
              alerts:
                log: false
                source_check_interval: 2s
                webhooks:
                  - {url: "https://hooks.example.com/x?token=t0ps3cret", timeout: 1s, retries: 5}
            """,
            Map.of("KS_PASS", "hunter2-password"));

    assertEquals(new ServerSettings.Bucket(5, 10), s.rateLimit().perKey());
    assertTrue(s.rateLimit().perAddress().isOff());
    assertTrue(s.cors().allows("https://dash.example.com"));
    assertTrue(!s.cors().allows("https://evil.example.com"));
    assertEquals("PKCS12", s.tls().keystoreType());
    assertEquals("hunter2-password", s.tls().keystorePassword());
    assertEquals(Duration.ofSeconds(2), s.alerts().sourceCheckInterval());
    assertEquals(5, s.alerts().webhooks().get(0).retries());
    assertTrue(
        !s.toString().contains("hunter2") && !s.toString().contains("t0ps3cret"), s.toString());
    assertEquals(ServerSettings.RateLimitSettings.DEFAULTS, parse("", Map.of()).rateLimit());
    assertEquals(null, parse("", Map.of()).tls());
  }

  @Test
  void badSecuritySectionsNameTheField() {
    assertTrue(
        invalid("server:\n  cors:\n    allowed_origins: ['*']\n", Map.of())
            .contains("server.cors.allowed_origins"));
    assertTrue(
        invalid("server:\n  rate_limit:\n    per_key: {rate: -1}\n", Map.of())
            .contains("server.rate_limit.per_key.rate"));
    assertTrue(
        invalid("server:\n  tls:\n    keystore: x.p12\n    keystore_password_env: NOPE\n", Map.of())
            .contains(
                "server.tls.keystore_password_env: the environment variable 'NOPE' is not set"));
    assertTrue(
        invalid("server:\n  alerts:\n    webhooks:\n      - {url: ftp://x}\n", Map.of())
            .contains("server.alerts.webhooks[0].url"));
  }
}
