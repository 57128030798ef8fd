package io.rehoboam.backtest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.engine.ExecutionRecord;
import io.rehoboam.backtest.engine.Outcome;
import io.rehoboam.backtest.engine.RiskRejection;
import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of a backtest as JSON: what was replayed, a summary, the outcomes per executor bot,
 * the risk rejections per limit, the cumulative realized PnL, executions per hour, the profit
 * distribution, tables per strategy and per route, and every execution. Built only from the
 * backtest's result (no wall-clock time, no absolute paths), so the same recording and
 * configuration give the same bytes.
 */
public final class BacktestReport {
  /** The report's format name and version. */
  public static final String FORMAT = "rehoboam-backtest-report/1";

  static final int DISTRIBUTION_BUCKETS = 20;

  private static final ObjectMapper MAPPER =
      RehoboamJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root;

  private BacktestReport(ObjectNode root) {
    this.root = root;
  }

  public ObjectNode json() {
    return root;
  }

  /** The report as indented JSON text ending in a newline. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report cannot be written as JSON", e);
    }
  }

  /** Writes {@code report.json} and {@code report.html} into {@code dir} (created if needed). */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("report.json"), toJson(), StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve("report.html"), HtmlReport.render(root), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + dir, e);
    }
  }

  /** Builds the report of a result. */
  public static BacktestReport of(Backtest.Result result) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode replay = root.putObject("replay");
    replay.put("recording", String.valueOf(result.recording().getFileName()));
    ArrayNode sources = replay.putArray("sources");
    result.sources().forEach(sources::add);
    replay.put("updates", result.updates());
    replay.put("batches", result.batches());
    replay.put("from", result.firstUpdate() == null ? null : result.firstUpdate().toString());
    replay.put("to", result.lastUpdate() == null ? null : result.lastUpdate().toString());
    replay.put("latency_ms", result.plan().latency().toMillis());
    ArrayNode notes = replay.putArray("notes");
    result
        .notes()
        .forEach(n -> notes.add(n.replace(String.valueOf(result.recording()), name(result))));

    List<ExecutionRecord> executions = result.recorder().executions();
    List<ExecutionRecord> filled = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    int wins = 0;
    int reverted = 0;
    int failed = 0;
    for (ExecutionRecord r : executions) {
      Execution e = r.execution();
      if (e.status() == ExecutionStatus.REVERTED) {
        reverted++;
      } else if (e.status() == ExecutionStatus.FAILED || e.status() == ExecutionStatus.REJECTED) {
        failed++;
      }
      if (e.realizedProfitUsd() != null) {
        filled.add(r);
        total = total.add(e.realizedProfitUsd());
        if (e.realizedProfitUsd().signum() > 0) {
          wins++;
        }
      }
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("opportunities_found", result.recorder().opportunities().size());
    summary.put("executions", executions.size());
    summary.put("filled", filled.size());
    summary.put("reverted", reverted);
    summary.put("failed", failed);
    summary.put("risk_rejections", result.recorder().rejections().size());
    summary.put("realized_profit_usd", total.stripTrailingZeros());
    summary.put(
        "average_profit_usd",
        filled.isEmpty()
            ? BigDecimal.ZERO
            : total.divide(BigDecimal.valueOf(filled.size()), 6, RoundingMode.HALF_EVEN));
    summary.put(
        "win_rate",
        filled.isEmpty()
            ? BigDecimal.ZERO
            : BigDecimal.valueOf(wins)
                .divide(BigDecimal.valueOf(filled.size()), 4, RoundingMode.HALF_EVEN));
    summary.put("max_drawdown_usd", maxDrawdown(filled).stripTrailingZeros());

    ObjectNode outcomes = root.putObject("outcomes");
    for (Map.Entry<String, Map<Outcome, Long>> bot : result.recorder().outcomes().entrySet()) {
      ObjectNode counts = outcomes.putObject(bot.getKey());
      for (Outcome o : Outcome.values()) {
        counts.put(o.name().toLowerCase(java.util.Locale.ROOT), bot.getValue().getOrDefault(o, 0L));
      }
    }
    Map<String, Long> byLimit = new TreeMap<>();
    for (RiskRejection r : result.recorder().rejections()) {
      byLimit.merge(r.limit(), 1L, Long::sum);
    }
    ObjectNode rejections = root.putObject("risk_rejections");
    byLimit.forEach(rejections::put);

    ArrayNode pnl = root.putArray("cumulative_pnl");
    BigDecimal running = BigDecimal.ZERO;
    for (ExecutionRecord r : filled) {
      running = running.add(r.execution().realizedProfitUsd());
      ObjectNode point = pnl.addObject();
      point.put("at", finished(r).toString());
      point.put("realized_profit_usd", running.stripTrailingZeros());
    }

    Map<Instant, long[]> perHourCount = new TreeMap<>();
    Map<Instant, BigDecimal> perHourProfit = new TreeMap<>();
    for (ExecutionRecord r : executions) {
      Instant hour = finished(r).truncatedTo(ChronoUnit.HOURS);
      perHourCount.computeIfAbsent(hour, h -> new long[1])[0]++;
      BigDecimal p = r.execution().realizedProfitUsd();
      perHourProfit.merge(hour, p == null ? BigDecimal.ZERO : p, BigDecimal::add);
    }
    ArrayNode hours = root.putArray("executions_per_hour");
    perHourCount.forEach(
        (hour, count) -> {
          ObjectNode h = hours.addObject();
          h.put("hour", hour.toString());
          h.put("executions", count[0]);
          h.put("realized_profit_usd", perHourProfit.get(hour).stripTrailingZeros());
        });

    root.set("profit_distribution", distribution(filled));
    root.set("by_strategy", table(executions, true));
    root.set("by_route", table(executions, false));

    ArrayNode list = root.putArray("executions");
    for (ExecutionRecord r : executions) {
      Execution e = r.execution();
      ObjectNode row = list.addObject();
      row.put("id", e.id());
      row.put("bot_id", r.botId());
      row.put("opportunity_id", e.opportunityId());
      row.put("strategy", r.opportunity().strategy());
      row.put("route", r.route());
      row.put("status", e.status().name().toLowerCase(java.util.Locale.ROOT));
      row.put("reason", e.reason());
      row.put("started_at", e.startedAt().toString());
      row.put("amount_in", r.opportunity().amountIn().toString());
      row.put("expected_profit", e.expectedProfit().toString());
      row.put("realized_profit", e.realizedProfit() == null ? null : e.realizedProfit().toString());
      row.put("realized_profit_usd", e.realizedProfitUsd());
    }
    return new BacktestReport(root);
  }

  private static String name(Backtest.Result result) {
    return String.valueOf(result.recording().getFileName());
  }

  private static Instant finished(ExecutionRecord r) {
    Execution e = r.execution();
    return e.finishedAt() != null ? e.finishedAt() : e.startedAt();
  }

  private static BigDecimal maxDrawdown(List<ExecutionRecord> filled) {
    BigDecimal running = BigDecimal.ZERO;
    BigDecimal peak = BigDecimal.ZERO;
    BigDecimal worst = BigDecimal.ZERO;
    for (ExecutionRecord r : filled) {
      running = running.add(r.execution().realizedProfitUsd());
      peak = peak.max(running);
      worst = worst.max(peak.subtract(running));
    }
    return worst;
  }

  private static ObjectNode distribution(List<ExecutionRecord> filled) {
    ObjectNode d = MAPPER.createObjectNode();
    ArrayNode buckets = d.putArray("buckets");
    if (filled.isEmpty()) {
      return d;
    }
    BigDecimal min = null;
    BigDecimal max = null;
    for (ExecutionRecord r : filled) {
      BigDecimal p = r.execution().realizedProfitUsd();
      min = min == null ? p : min.min(p);
      max = max == null ? p : max.max(p);
    }
    BigDecimal width =
        max.subtract(min)
            .divide(BigDecimal.valueOf(DISTRIBUTION_BUCKETS), 6, RoundingMode.CEILING)
            .max(new BigDecimal("0.000001"));
    long[] counts = new long[DISTRIBUTION_BUCKETS];
    for (ExecutionRecord r : filled) {
      int i =
          r.execution()
              .realizedProfitUsd()
              .subtract(min)
              .divide(width, 0, RoundingMode.FLOOR)
              .intValue();
      counts[Math.min(i, DISTRIBUTION_BUCKETS - 1)]++;
    }
    for (int i = 0; i < DISTRIBUTION_BUCKETS; i++) {
      ObjectNode b = buckets.addObject();
      BigDecimal from = min.add(width.multiply(BigDecimal.valueOf(i)));
      b.put("from_usd", from.stripTrailingZeros());
      b.put("to_usd", from.add(width).stripTrailingZeros());
      b.put("count", counts[i]);
    }
    return d;
  }

  private static ArrayNode table(List<ExecutionRecord> executions, boolean byStrategy) {
    Map<String, Object[]> rows = new TreeMap<>();
    for (ExecutionRecord r : executions) {
      String key = byStrategy ? r.opportunity().strategy() : r.route();
      Object[] row = rows.computeIfAbsent(key, k -> new Object[] {0L, 0L, 0L, BigDecimal.ZERO});
      row[0] = (Long) row[0] + 1;
      BigDecimal p = r.execution().realizedProfitUsd();
      if (p != null) {
        row[1] = (Long) row[1] + 1;
        row[3] = ((BigDecimal) row[3]).add(p);
      }
      if (r.execution().status() == ExecutionStatus.REVERTED) {
        row[2] = (Long) row[2] + 1;
      }
    }
    ArrayNode out = MAPPER.createArrayNode();
    rows.forEach(
        (key, row) -> {
          ObjectNode o = out.addObject();
          o.put(byStrategy ? "strategy" : "route", key);
          o.put("executions", (Long) row[0]);
          o.put("filled", (Long) row[1]);
          o.put("reverted", (Long) row[2]);
          BigDecimal sum = (BigDecimal) row[3];
          o.put("realized_profit_usd", sum.stripTrailingZeros());
          long n = (Long) row[1];
          o.put(
              "average_profit_usd",
              n == 0
                  ? BigDecimal.ZERO
                  : sum.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_EVEN));
        });
    return out;
  }
}
