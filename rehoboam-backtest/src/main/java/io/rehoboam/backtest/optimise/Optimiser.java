package io.rehoboam.backtest.optimise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.rehoboam.backtest.Backtest;
import io.rehoboam.backtest.recording.RecordEntry;
import io.rehoboam.backtest.recording.RecordingReader;
import io.rehoboam.backtest.report.BacktestReport;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Searches declared ranges of bot, risk and executor settings for the configuration that earns
 * most: every candidate of a grid, or {@code samples} candidates drawn with a seeded random, each
 * backtested on the first part of the recording (train) and on the rest (test), in parallel. The
 * ranking is by the train objective, ties by candidate number; the test figures beside it show how
 * much of the train result was fitted to the train period. The same inputs and seed give the same
 * ranking, whatever the number of threads.
 */
public final class Optimiser {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON =
      RehoboamJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Optimiser() {}

  /**
   * One parameter: the path of a setting ({@code bots.<id>.settings.<name>}, {@code risk.<key>},
   * {@code executors.<id>.<key>}, {@code sources.<id>.<key>}) and its values.
   */
  public record Parameter(
      String path, List<Object> values, BigDecimal min, BigDecimal max, BigDecimal step) {
    /** The grid's values: the listed ones, or min to max by step. */
    List<Object> grid() {
      if (values != null) {
        return values;
      }
      List<Object> out = new ArrayList<>();
      for (BigDecimal v = min; v.compareTo(max) <= 0; v = v.add(step)) {
        out.add(v);
      }
      return out;
    }

    /** A random value: one of the listed ones, or min to max on the step's grid. */
    Object draw(Random random) {
      if (values != null) {
        return values.get(random.nextInt(values.size()));
      }
      long steps = max.subtract(min).divide(step, 0, RoundingMode.FLOOR).longValue();
      return min.add(
          step.multiply(BigDecimal.valueOf((long) Math.floor(random.nextDouble() * (steps + 1)))));
    }
  }

  /**
   * The search space.
   *
   * @param search {@code grid} or {@code random}
   * @param samples candidates of a random search
   * @param trainFraction the share of the recording's time span backtested as train (0..1)
   */
  public record Space(
      String search, int samples, long seed, double trainFraction, List<Parameter> parameters) {
    public Space {
      if (!search.equals("grid") && !search.equals("random")) {
        throw RehoboamException.invalid("search", "must be grid or random, was '" + search + "'");
      }
      if (trainFraction <= 0 || trainFraction >= 1) {
        throw RehoboamException.invalid(
            "train_fraction", "must be within (0, 1), was " + trainFraction);
      }
      if (parameters.isEmpty()) {
        throw RehoboamException.invalid("parameters", "must declare at least one parameter");
      }
      parameters = List.copyOf(parameters);
    }

    /**
     * Reads a space file (YAML): {@code search}, {@code samples}, {@code seed}, {@code
     * train_fraction}, {@code parameters: [{path, values} | {path, min, max, step}]}.
     */
    public static Space load(Path file) {
      JsonNode root;
      try {
        root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
      } catch (java.nio.file.NoSuchFileException e) {
        throw RehoboamException.invalid("--space", "no such file: " + file);
      } catch (IOException e) {
        throw RehoboamException.invalid(
            "--space", file + " is not readable YAML: " + e.getMessage());
      }
      if (root == null || !root.isObject()) {
        throw RehoboamException.invalid("--space", file + " must be a YAML mapping");
      }
      List<Parameter> parameters = new ArrayList<>();
      int i = 0;
      for (JsonNode p : root.path("parameters")) {
        String where = "parameters[" + i++ + "]";
        String path = p.path("path").asText("");
        if (!path.matches(
                "(bots\\.[^.]+\\.settings|risk|executors\\.[^.]+|sources\\.[^.]+)(\\.[^.]+)?")
            || path.equals("risk")) {
          throw RehoboamException.invalid(
              where + ".path",
              "must be bots.<id>.settings.<name>, risk.<key>, executors.<id>.<key> or"
                  + " sources.<id>.<key>, was '"
                  + path
                  + "'");
        }
        if (p.has("values")) {
          List<Object> values = new ArrayList<>();
          for (JsonNode v : p.path("values")) {
            values.add(
                v.isNumber() ? v.decimalValue() : v.isBoolean() ? v.asBoolean() : v.asText());
          }
          if (values.isEmpty()) {
            throw RehoboamException.invalid(where + ".values", "must not be empty");
          }
          parameters.add(new Parameter(path, values, null, null, null));
        } else {
          BigDecimal min = decimal(p, "min", where);
          BigDecimal max = decimal(p, "max", where);
          BigDecimal step = decimal(p, "step", where);
          if (step.signum() <= 0 || max.compareTo(min) < 0) {
            throw RehoboamException.invalid(where, "needs min <= max and a positive step");
          }
          parameters.add(new Parameter(path, null, min, max, step));
        }
      }
      return new Space(
          root.path("search").asText("grid"),
          root.path("samples").asInt(20),
          root.path("seed").asLong(1),
          root.path("train_fraction").asDouble(0.7),
          parameters);
    }

    private static BigDecimal decimal(JsonNode p, String name, String where) {
      if (!p.path(name).isNumber()) {
        throw RehoboamException.invalid(where + "." + name, "must be a number (or give values)");
      }
      return p.path(name).decimalValue();
    }
  }

  /** One candidate's figures on train and test. */
  public record Score(
      int candidate,
      Map<String, Object> values,
      BigDecimal trainProfit,
      long trainExecutions,
      BigDecimal testProfit,
      long testExecutions) {}

  /** The search's outcome: the ranking and the best configuration. */
  public record Outcome(List<Score> ranking, String bestYaml, Instant split, Space space) {
    public String summary() {
      Score best = ranking.get(0);
      return ranking.size()
          + " candidates; best #"
          + best.candidate()
          + " "
          + best.values()
          + ": train "
          + best.trainProfit().toPlainString()
          + " USD, test "
          + best.testProfit().toPlainString()
          + " USD";
    }

    /** Writes {@code optimisation.json}, {@code ranking.txt} and {@code best.yaml}. */
    public void write(Path dir) {
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("optimisation.json"), json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ranking.txt"), table(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("best.yaml"), bestYaml, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write into " + dir, e);
      }
    }

    public String json() {
      ObjectNode root = JSON.createObjectNode();
      root.put("search", space.search());
      root.put("seed", space.seed());
      root.put("train_fraction", space.trainFraction());
      root.put("split", split.toString());
      ArrayNode rows = root.putArray("ranking");
      int rank = 1;
      for (Score s : ranking) {
        ObjectNode row = rows.addObject();
        row.put("rank", rank++);
        row.put("candidate", s.candidate());
        row.set("values", JSON.valueToTree(s.values()));
        row.put("train_profit_usd", s.trainProfit());
        row.put("train_executions", s.trainExecutions());
        row.put("test_profit_usd", s.testProfit());
        row.put("test_executions", s.testExecutions());
      }
      try {
        return JSON.writeValueAsString(root) + "\n";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "%4s %9s %16s %6s %16s %6s  %s%n",
              "rank",
              "candidate",
              "train_usd",
              "execs",
              "test_usd",
              "execs",
              "values"));
      int rank = 1;
      for (Score s : ranking) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%4d %9d %16s %6d %16s %6d  %s%n",
                rank++,
                s.candidate(),
                s.trainProfit().setScale(6, RoundingMode.HALF_EVEN).toPlainString(),
                s.trainExecutions(),
                s.testProfit().setScale(6, RoundingMode.HALF_EVEN).toPlainString(),
                s.testExecutions(),
                s.values()));
      }
      return sb.toString();
    }
  }

  /** Progress: candidates done of all. */
  public interface Progress {
    void done(long done, long total);
  }

  /**
   * Runs the search.
   *
   * @param configFile the configuration's file (its YAML is what the candidates change)
   */
  public static Outcome run(
      RehoboamConfig config,
      Path configFile,
      Path recording,
      Space space,
      Duration latency,
      int threads,
      Progress progress) {
    ObjectNode base;
    try {
      JsonNode tree = YAML.readTree(Files.readString(configFile, StandardCharsets.UTF_8));
      if (!(tree instanceof ObjectNode o)) {
        throw RehoboamException.invalid("--config", configFile + " must be a YAML mapping");
      }
      base = o;
    } catch (IOException e) {
      throw RehoboamException.invalid(
          "--config", "cannot read " + configFile + ": " + e.getMessage());
    }
    List<Map<String, Object>> candidates = candidates(space);
    // Every candidate must make a valid configuration: checked before any backtest runs.
    List<String> yamls = new ArrayList<>();
    for (Map<String, Object> c : candidates) {
      String yaml = apply(base, c);
      ConfigLoader.parse(yaml, configFile.getFileName().toString(), Map.of());
      yamls.add(yaml);
    }
    Instant[] span = span(recording);
    Instant split =
        span[0].plusNanos(
            (long) (Duration.between(span[0], span[1]).toNanos() * space.trainFraction()));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<Score>> futures = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  RehoboamConfig c =
                      ConfigLoader.parse(
                          yamls.get(index), configFile.getFileName().toString(), Map.of());
                  BacktestReport train =
                      BacktestReport.of(Backtest.run(c, recording, latency, null, split, null));
                  BacktestReport test =
                      BacktestReport.of(Backtest.run(c, recording, latency, split, null, null));
                  if (progress != null) {
                    progress.done(done.incrementAndGet(), candidates.size());
                  }
                  return new Score(
                      index + 1,
                      candidates.get(index),
                      profit(train),
                      train.json().path("summary").path("executions").asLong(),
                      profit(test),
                      test.json().path("summary").path("executions").asLong());
                }));
      }
      List<Score> scores = new ArrayList<>();
      for (Future<Score> f : futures) {
        scores.add(f.get());
      }
      scores.sort(
          Comparator.comparing(Score::trainProfit).reversed().thenComparingInt(Score::candidate));
      return new Outcome(scores, yamls.get(scores.get(0).candidate() - 1), split, space);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RehoboamException re) {
        throw re;
      }
      throw new RehoboamException(ErrorCode.INTERNAL, "a backtest failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RehoboamException(ErrorCode.INTERNAL, "interrupted");
    } finally {
      pool.shutdownNow();
    }
  }

  private static BigDecimal profit(BacktestReport r) {
    return r.json().path("summary").path("realized_profit_usd").decimalValue();
  }

  static List<Map<String, Object>> candidates(Space space) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (space.search().equals("grid")) {
      out.add(new LinkedHashMap<>());
      for (Parameter p : space.parameters()) {
        List<Map<String, Object>> next = new ArrayList<>();
        for (Map<String, Object> c : out) {
          for (Object v : p.grid()) {
            Map<String, Object> m = new LinkedHashMap<>(c);
            m.put(p.path(), v);
            next.add(m);
          }
        }
        out = next;
      }
    } else {
      Random random = new Random(space.seed());
      for (int i = 0; i < space.samples(); i++) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
          m.put(p.path(), p.draw(random));
        }
        out.add(m);
      }
    }
    return out;
  }

  /** The configuration's YAML with the candidate's values set. */
  static String apply(ObjectNode base, Map<String, Object> values) {
    ObjectNode config = base.deepCopy();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      ObjectNode target;
      String name;
      if (parts[0].equals("bots")) {
        target = null;
        for (JsonNode bot : config.path("bots")) {
          if (bot.path("id").asText().equals(parts[1]) && bot instanceof ObjectNode b) {
            target =
                b.has("settings") && b.get("settings") instanceof ObjectNode s
                    ? s
                    : b.putObject("settings");
          }
        }
        if (target == null) {
          throw RehoboamException.invalid("parameters", e.getKey() + ": no bot '" + parts[1] + "'");
        }
        name = parts[3];
      } else if (parts[0].equals("risk")) {
        target =
            config.has("risk") && config.get("risk") instanceof ObjectNode r
                ? r
                : config.putObject("risk");
        name = parts[1];
      } else {
        JsonNode section = config.path(parts[0]).path(parts[1]);
        if (!(section instanceof ObjectNode s)) {
          throw RehoboamException.invalid(
              "parameters", e.getKey() + ": no " + parts[0] + " entry '" + parts[1] + "'");
        }
        target = s;
        name = parts[2];
      }
      Object v = e.getValue();
      if (v instanceof BigDecimal d) {
        target.put(name, d);
      } else if (v instanceof Boolean b) {
        target.put(name, b);
      } else {
        target.put(name, String.valueOf(v));
      }
    }
    try {
      return YAML.writeValueAsString(config);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The first and last update times of a recording. */
  static Instant[] span(Path recording) {
    Instant first = null;
    Instant last = null;
    try (RecordingReader reader = RecordingReader.open(recording)) {
      RecordEntry e;
      while ((e = reader.next()) != null) {
        if (e instanceof RecordEntry.UpdateEntry u) {
          if (first == null) {
            first = u.at();
          }
          last = u.at();
        }
      }
    }
    if (first == null) {
      throw RehoboamException.invalid("--recording", recording + " holds no update");
    }
    return new Instant[] {first, last};
  }
}
