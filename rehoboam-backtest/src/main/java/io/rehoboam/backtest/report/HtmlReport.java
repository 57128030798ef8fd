package io.rehoboam.backtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a backtest report as one self-contained HTML page: no script, no font and no file from
 * elsewhere; the charts (cumulative PnL, executions per hour, profit distribution) are inline SVG.
 * Built from the JSON report alone, so it is as deterministic as the report.
 */
public final class HtmlReport {
  private static final int WIDTH = 880;
  private static final int HEIGHT = 220;
  private static final int PAD = 40;

  private HtmlReport() {}

  public static String render(JsonNode report) {
    StringBuilder h = new StringBuilder(16_384);
    JsonNode replay = report.path("replay");
    JsonNode summary = report.path("summary");
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>Backtest ")
        .append(esc(replay.path("recording").asText()))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#1d2330;background:#fafbfc}\n")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}\n")
        .append(".cards{display:flex;flex-wrap:wrap;gap:12px}\n")
        .append(
            ".card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 14px;")
        .append("min-width:120px}.card b{display:block;font-size:20px}\n")
        .append("table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde1e7;")
        .append("padding:4px 10px;text-align:right;font-size:13px}th{background:#eef1f5}")
        .append("td:first-child,th:first-child{text-align:left}\n")
        .append("svg{background:#fff;border:1px solid #dde1e7;border-radius:6px}\n")
        .append(".note{color:#8a5a00}\n</style></head><body>\n");
    h.append("<h1>Backtest of ")
        .append(esc(replay.path("recording").asText()))
        .append("</h1>\n<p>Sources ")
        .append(esc(join(replay.path("sources"))))
        .append(", ")
        .append(replay.path("updates").asLong())
        .append(" updates from ")
        .append(esc(replay.path("from").asText()))
        .append(" to ")
        .append(esc(replay.path("to").asText()))
        .append(", latency ")
        .append(replay.path("latency_ms").asLong())
        .append(" ms.</p>\n");
    for (JsonNode note : replay.path("notes")) {
      h.append("<p class=\"note\">").append(esc(note.asText())).append("</p>\n");
    }
    h.append("<div class=\"cards\">\n");
    card(h, "Realized profit (USD)", usd(summary.path("realized_profit_usd")));
    card(h, "Opportunities found", summary.path("opportunities_found").asText());
    card(h, "Executions", summary.path("executions").asText());
    card(h, "Filled", summary.path("filled").asText());
    card(h, "Reverted", summary.path("reverted").asText());
    card(h, "Rejected by risk", summary.path("risk_rejections").asText());
    card(h, "Win rate", summary.path("win_rate").asText());
    card(h, "Max drawdown (USD)", usd(summary.path("max_drawdown_usd")));
    h.append("</div>\n");

    h.append("<h2>Cumulative realized PnL (USD)</h2>\n");
    List<BigDecimal> pnl = new ArrayList<>();
    for (JsonNode p : report.path("cumulative_pnl")) {
      pnl.add(p.path("realized_profit_usd").decimalValue());
    }
    line(h, pnl);

    h.append("<h2>Executions per hour</h2>\n");
    List<String> hourLabels = new ArrayList<>();
    List<BigDecimal> hourCounts = new ArrayList<>();
    for (JsonNode p : report.path("executions_per_hour")) {
      hourLabels.add(p.path("hour").asText().substring(11, 16));
      hourCounts.add(BigDecimal.valueOf(p.path("executions").asLong()));
    }
    bars(h, hourLabels, hourCounts, "#3b6fd4");

    h.append("<h2>Profit distribution (USD per filled execution)</h2>\n");
    List<String> bucketLabels = new ArrayList<>();
    List<BigDecimal> bucketCounts = new ArrayList<>();
    for (JsonNode b : report.path("profit_distribution").path("buckets")) {
      bucketLabels.add(
          b.path("from_usd")
              .decimalValue()
              .setScale(2, java.math.RoundingMode.FLOOR)
              .toPlainString());
      bucketCounts.add(BigDecimal.valueOf(b.path("count").asLong()));
    }
    bars(h, bucketLabels, bucketCounts, "#2e9b6a");

    h.append("<h2>Per strategy</h2>\n");
    table(h, report.path("by_strategy"));
    h.append("<h2>Per route</h2>\n");
    table(h, report.path("by_route"));
    h.append("<h2>Outcomes per executor bot</h2>\n<table><tr><th>bot</th>");
    Iterator<Map.Entry<String, JsonNode>> bots = report.path("outcomes").fields();
    List<Map.Entry<String, JsonNode>> botRows = new ArrayList<>();
    bots.forEachRemaining(botRows::add);
    if (!botRows.isEmpty()) {
      botRows
          .get(0)
          .getValue()
          .fieldNames()
          .forEachRemaining(n -> h.append("<th>").append(esc(n)).append("</th>"));
    }
    h.append("</tr>\n");
    for (Map.Entry<String, JsonNode> bot : botRows) {
      h.append("<tr><td>").append(esc(bot.getKey())).append("</td>");
      bot.getValue()
          .elements()
          .forEachRemaining(v -> h.append("<td>").append(v.asText()).append("</td>"));
      h.append("</tr>\n");
    }
    h.append(
        "</table>\n<h2>Rejected by risk, per limit</h2>\n<table><tr><th>limit</th><th>rejections</th></tr>\n");
    report
        .path("risk_rejections")
        .fields()
        .forEachRemaining(
            e ->
                h.append("<tr><td>")
                    .append(esc(e.getKey()))
                    .append("</td><td>")
                    .append(e.getValue().asText())
                    .append("</td></tr>\n"));
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  /** A USD amount with two decimals (the JSON report keeps every digit). */
  private static String usd(JsonNode value) {
    return value.isNumber()
        ? value.decimalValue().setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString()
        : value.asText();
  }

  private static void card(StringBuilder h, String label, String value) {
    h.append("<div class=\"card\">")
        .append(esc(label))
        .append("<b>")
        .append(esc(value))
        .append("</b></div>\n");
  }

  private static void table(StringBuilder h, JsonNode rows) {
    h.append("<table>");
    boolean header = true;
    for (JsonNode row : rows) {
      if (header) {
        h.append("<tr>");
        row.fieldNames().forEachRemaining(n -> h.append("<th>").append(esc(n)).append("</th>"));
        h.append("</tr>\n");
        header = false;
      }
      h.append("<tr>");
      row.elements()
          .forEachRemaining(v -> h.append("<td>").append(esc(v.asText())).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void line(StringBuilder h, List<BigDecimal> values) {
    svgOpen(h);
    if (values.isEmpty()) {
      h.append("<text x=\"")
          .append(PAD)
          .append("\" y=\"")
          .append(HEIGHT / 2)
          .append("\">no fills</text>");
    } else {
      double min = 0;
      double max = 0;
      for (BigDecimal v : values) {
        min = Math.min(min, v.doubleValue());
        max = Math.max(max, v.doubleValue());
      }
      double span = max - min == 0 ? 1 : max - min;
      double zeroY = y(0, min, span);
      h.append("<line x1=\"")
          .append(PAD)
          .append("\" x2=\"")
          .append(WIDTH - PAD / 2)
          .append("\" y1=\"")
          .append(fmt(zeroY))
          .append("\" y2=\"")
          .append(fmt(zeroY))
          .append("\" stroke=\"#aab\"/>");
      h.append("<polyline fill=\"none\" stroke=\"#3b6fd4\" stroke-width=\"2\" points=\"");
      int n = values.size();
      for (int i = 0; i < n; i++) {
        double x = PAD + (n == 1 ? 0 : (WIDTH - 1.5 * PAD) * i / (n - 1));
        h.append(fmt(x))
            .append(',')
            .append(fmt(y(values.get(i).doubleValue(), min, span)))
            .append(' ');
      }
      h.append("\"/>");
      label(h, 4, PAD / 2, fmt2(max));
      label(h, 4, HEIGHT - PAD / 2, fmt2(min));
    }
    h.append("</svg>\n");
  }

  private static void bars(
      StringBuilder h, List<String> labels, List<BigDecimal> values, String color) {
    svgOpen(h);
    if (values.isEmpty()) {
      h.append("<text x=\"")
          .append(PAD)
          .append("\" y=\"")
          .append(HEIGHT / 2)
          .append("\">none</text>");
    } else {
      double max = 1;
      for (BigDecimal v : values) {
        max = Math.max(max, v.doubleValue());
      }
      int n = values.size();
      double slot = (WIDTH - 1.5 * PAD) / n;
      for (int i = 0; i < n; i++) {
        double height = (HEIGHT - 2.0 * PAD) * values.get(i).doubleValue() / max;
        double x = PAD + slot * i;
        h.append("<rect x=\"")
            .append(fmt(x + slot * 0.1))
            .append("\" y=\"")
            .append(fmt(HEIGHT - PAD - height))
            .append("\" width=\"")
            .append(fmt(slot * 0.8))
            .append("\" height=\"")
            .append(fmt(height))
            .append("\" fill=\"")
            .append(color)
            .append("\"><title>")
            .append(esc(labels.get(i)))
            .append(": ")
            .append(values.get(i).toPlainString())
            .append("</title></rect>");
        if (n <= 24) {
          label(h, x + slot * 0.1, HEIGHT - PAD / 2, labels.get(i));
        }
      }
      label(h, 4, PAD - 4, fmt2(max));
    }
    h.append("</svg>\n");
  }

  private static void svgOpen(StringBuilder h) {
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\">");
  }

  private static void label(StringBuilder h, double x, double y, String text) {
    h.append("<text x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" font-size=\"10\" fill=\"#556\">")
        .append(esc(text))
        .append("</text>");
  }

  private static double y(double v, double min, double span) {
    return HEIGHT - PAD - (HEIGHT - 2.0 * PAD) * (v - min) / span;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(", ", out);
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
