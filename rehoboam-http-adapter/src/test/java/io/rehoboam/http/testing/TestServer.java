package io.rehoboam.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.http.HttpAdapter;
import io.rehoboam.http.ServerSettings;
import io.rehoboam.spi.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real service behind a real HTTP adapter on a free loopback port, with the {@code emitter} bot
 * type and a {@link RecordingExecutor}, plus a JDK HTTP client to call it.
 */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the tests start from: the defaults on a free port, and, as these tests execute on a
   * loopback server without keys, unauthenticated execute allowed (it is off by default).
   */
  public static final ServerSettings BASE =
      ServerSettings.DEFAULTS.withPort(0).withAllowUnauthenticatedExecute(true);

  public final TestClock clock = new TestClock();
  public final RecordingExecutor executor = new RecordingExecutor(clock);

  /** Behind GET /metrics: the service's meters and the adapter's. */
  public final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public final ArbitrageService service;
  public final HttpAdapter http;
  public final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, body text and the body as JSON (null when it is not JSON). */
  public record Response(int status, String text, JsonNode json, HttpResponse<String> raw) {
    /** The error code of an error body. */
    public String errorCode() {
      return json.path("error").path("code").asText();
    }

    public String errorMessage() {
      return json.path("error").path("message").asText();
    }
  }

  private TestServer(
      Consumer<ArbitrageService.Builder> customizeService,
      UnaryOperator<ServerSettings> customizeServer,
      Consumer<HttpAdapter.Builder> customizeAdapter) {
    ArbitrageService.Builder builder =
        ArbitrageService.builder()
            .discoverProviders(false)
            .env(Map.of())
            .clock(clock)
            .provider(new EmitterBotProvider())
            .executor(executor)
            .riskLimits(RiskLimits.NONE)
            .closeTimeout(Duration.ofSeconds(5))
            .meterRegistry(registry);
    customizeService.accept(builder);
    service = builder.build();
    service.initialize();
    HttpAdapter.Builder adapter =
        HttpAdapter.builder(service)
            .clock(clock)
            .meterRegistry(registry)
            .settings(customizeServer.apply(BASE));
    customizeAdapter.accept(adapter);
    http = adapter.build();
    try {
      http.start();
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  public static TestServer start() {
    return start(b -> {}, s -> s);
  }

  public static TestServer start(
      Consumer<ArbitrageService.Builder> customizeService,
      UnaryOperator<ServerSettings> customizeServer) {
    return new TestServer(customizeService, customizeServer, a -> {});
  }

  /** A server whose adapter is customized too (backtests, ...). */
  public static TestServer start(
      Consumer<ArbitrageService.Builder> customizeService,
      UnaryOperator<ServerSettings> customizeServer,
      Consumer<HttpAdapter.Builder> customizeAdapter) {
    return new TestServer(customizeService, customizeServer, customizeAdapter);
  }

  /** Registers an emitter bot and starts it. */
  public void runEmitter(String botId) {
    service.register(BotRegistration.of(botId, EmitterBotProvider.TYPE, Settings.empty()));
    service.start(botId);
  }

  /** Has {@code botId} publish an opportunity. */
  public void publish(String botId, String opportunityId, long netProfit, String netProfitUsd) {
    Map<String, Object> payload =
        netProfitUsd == null
            ? Map.of("id", opportunityId, "net_profit", netProfit)
            : Map.of("id", opportunityId, "net_profit", netProfit, "net_profit_usd", netProfitUsd);
    service.sendCommand(botId, "opportunity", payload);
  }

  public static BigDecimal usd(String value) {
    return new BigDecimal(value);
  }

  public URI uri(String path) {
    return http.uri().resolve(path);
  }

  /** A request with headers (name, value, name, value, ...); body null for none. */
  public Response call(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Response post(String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  public Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Response response(HttpResponse<String> response) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    return new Response(response.statusCode(), response.body(), json, response);
  }

  @Override
  public void close() {
    http.beginShutdown();
    service.close();
    http.close();
  }
}
