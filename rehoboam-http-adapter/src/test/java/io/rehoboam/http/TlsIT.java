package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.http.ServerSettings.TlsSettings;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.WsTestClient;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keystore in the settings turns on HTTPS and WSS; a self-signed one is made here by keytool. */
class TlsIT {
  private static final String PASSWORD = "test-keystore-password";

  @TempDir static Path dir;
  private static Path keystore;
  private static SSLContext trusting;
  private TestServer server;

  @BeforeAll
  static void makeKeystore() throws Exception {
    keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "rehoboam",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, keytool.exitValue(), output);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trust.load(in, PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void httpsAndWssServeWithTheKeystoresCertificate() throws Exception {
    server =
        TestServer.start(b -> {}, s -> s.withTls(new TlsSettings(keystore, PASSWORD, "PKCS12")));
    URI uri = server.http.uri();
    assertEquals("https", uri.getScheme());
    assertEquals("wss", server.http.webSocketUri().getScheme());
    HttpClient https =
        HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> bots =
        https.send(
            HttpRequest.newBuilder(uri.resolve("/api/arbitrage/bots")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, bots.statusCode(), bots.body());
    assertTrue(bots.body().contains("\"bots\""));
    try (WsTestClient wss =
        WsTestClient.connect(https, server.http.webSocketUri(), true, Map.of())) {
      assertEquals("hello", wss.awaitType("hello").get("type").asText());
    }
    URI plain = URI.create("http://127.0.0.1:" + server.http.port() + "/api/arbitrage/bots");
    assertThrows(
        IOException.class,
        () ->
            HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()),
        "plain HTTP to the TLS port is not served");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotConnect() {
    server =
        TestServer.start(b -> {}, s -> s.withTls(new TlsSettings(keystore, PASSWORD, "PKCS12")));

    assertThrows(
        IOException.class,
        () ->
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(server.http.uri().resolve("/api/arbitrage/bots"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aWrongPasswordStopsTheStartNamingTheKeystore() {
    try (ArbitrageService service =
        ArbitrageService.builder().discoverProviders(false).env(Map.of()).build()) {
      HttpAdapter http =
          HttpAdapter.builder(service)
              .settings(TestServer.BASE.withTls(new TlsSettings(keystore, "wrong", "PKCS12")))
              .build();

      RehoboamException e = assertThrows(RehoboamException.class, http::start);

      assertEquals(ErrorCode.INVALID_CONFIG, e.code());
      assertTrue(e.getMessage().startsWith("server.tls.keystore: cannot read"), e.getMessage());
      assertTrue(!e.getMessage().contains("wrong"), "the password is not shown");
      http.close();
    }
  }
}
