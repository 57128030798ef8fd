package io.rehoboam.http.internal;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.rehoboam.backtest.jobs.BacktestJob;
import io.rehoboam.backtest.jobs.BacktestJobs;
import io.rehoboam.http.Scope;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Backtests as asynchronous jobs under {@code /api/arbitrage/backtests}: submit (202 and the job),
 * list, read one (state, progress, updates replayed, the report once done) and its JSON and HTML
 * reports. Uses only the public {@link BacktestJobs} API. Without backtests configured ({@code
 * server.backtests.recordings_dir}) every route answers 404 saying so.
 */
public final class BacktestApi {
  static final String PATH = RestApi.BASE + "/backtests";
  private static final List<String> SUBMIT_FIELDS = List.of("config", "recording", "latency");

  /** The report page: inline styles and SVG only, nothing else. */
  static final String REPORT_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

  private final BacktestJobs jobs;
  private final long maxBodyBytes;
  private final Duration bodyTimeout;

  /**
   * @param jobs the backtests; null when the server runs none
   */
  public BacktestApi(BacktestJobs jobs, long maxBodyBytes, Duration bodyTimeout) {
    this.jobs = jobs;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeout = bodyTimeout;
  }

  public List<Route> routes() {
    return List.of(
        new Route(POST, PATH, Scope.CONTROL, "submit_backtest", this::submit),
        new Route(GET, PATH, Scope.READ, null, this::list),
        new Route(GET, PATH + "/{backtest_id}", Scope.READ, null, this::job),
        new Route(GET, PATH + "/{backtest_id}/report", Scope.READ, null, this::reportJson),
        new Route(GET, PATH + "/{backtest_id}/report.html", Scope.READ, null, this::reportHtml));
  }

  private BacktestJobs jobs() {
    if (jobs == null) {
      throw new ApiError(
              404,
              ErrorCode.NOT_FOUND.name(),
              "this server runs no backtests: set server.backtests.recordings_dir",
              null)
          .toException();
    }
    return jobs;
  }

  /** {@code {"config": {...} or "yaml", "recording": "name.rrec", "latency": "500ms"}}. */
  private void submit(Context ctx) {
    BacktestJobs backtests = jobs();
    byte[] bytes =
        JsonBody.read(
            ctx.bodyInputStream(), ctx.req().getContentLengthLong(), maxBodyBytes, bodyTimeout);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.isBlank()) {
      MediaTypes.requireJson(ctx.header("Content-Type"));
    }
    JsonBody body = JsonBody.parse(text).allowOnly(SUBMIT_FIELDS);
    String recording = body.requiredText("recording");
    JsonNode config = body.node().get("config");
    String configText;
    if (config == null || config.isNull()) {
      throw ApiError.invalid("config", "is required (the configuration, as an object or YAML text)")
          .toException();
    } else if (config.isObject()) {
      configText = Json.write(config);
    } else if (config.isTextual()) {
      configText = config.asText();
    } else {
      throw ApiError.invalid("config", "expected the configuration as an object or as YAML text")
          .toException();
    }
    String latencyText = body.text("latency");
    Duration latency = null;
    if (latencyText != null) {
      latency = Settings.parseDuration(latencyText.trim());
      if (latency == null || latency.isNegative()) {
        throw ApiError.invalid(
                "latency",
                "expected a duration such as 500ms or 2s, was '" + clip(latencyText) + "'")
            .toException();
      }
    }
    ctx.attribute(Guard.TARGET_ATTRIBUTE, recording);
    BacktestJob job = backtests.submit(new BacktestJobs.Request(configText, recording, latency));
    ctx.header("Location", PATH + "/" + job.id());
    RestApi.json(ctx, 202, job);
  }

  private void list(Context ctx) {
    RestApi.onlyParams(ctx, List.of());
    BacktestJobs backtests = jobs();
    List<Map<String, Object>> summaries =
        backtests.jobs().stream()
            .map(
                j -> {
                  Map<String, Object> m = new java.util.LinkedHashMap<>();
                  m.put("id", j.id());
                  m.put("state", j.state());
                  m.put("recording", j.recording());
                  m.put("progress", j.progress());
                  m.put("submitted_at", j.submittedAt());
                  m.put("finished_at", j.finishedAt());
                  return m;
                })
            .toList();
    RestApi.json(ctx, 200, Map.of("backtests", summaries, "recordings", backtests.recordings()));
  }

  private void job(Context ctx) {
    RestApi.json(ctx, 200, jobs().job(id(ctx)));
  }

  private void reportJson(Context ctx) {
    String json = jobs().reportJson(id(ctx));
    ctx.status(200).contentType("application/json").result(json);
  }

  private void reportHtml(Context ctx) {
    String html = jobs().reportHtml(id(ctx));
    ctx.header("Content-Security-Policy", REPORT_POLICY);
    ctx.status(200).contentType("text/html; charset=utf-8").result(html);
  }

  private static String id(Context ctx) {
    return Limits.check("backtest_id", ctx.pathParam("backtest_id"), Limits.BOT_ID_CHARS);
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
