package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.backtest.recording.RecordEntry;
import io.rehoboam.backtest.recording.RecordingReader;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Backtest and optimise" commands, run exactly as written (after removing what an
 * earlier run left at their output paths, since {@code record} never overwrites a file).
 */
class BacktestReadmeIT {
  private static final Pattern OUT = Pattern.compile("--out (\\S+)");

  @Test
  void theReadmeBacktestCommandsRunAndWriteWhatTheySay() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    String commands = readmeBlock(root);
    List<Path> outputs = new ArrayList<>();
    Matcher m = OUT.matcher(commands);
    while (m.find()) {
      outputs.add(Path.of(m.group(1)));
    }
    assertEquals(3, outputs.size(), commands);
    for (Path p : outputs) {
      delete(p);
    }
    Path log = Files.createTempFile("backtest-readme", ".log");
    Process shell =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", commands)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    shell.getOutputStream().close();
    try {
      assertTrue(shell.waitFor(15, TimeUnit.MINUTES), "the commands finish");
    } finally {
      shell.destroyForcibly();
    }
    String output = Files.readString(log);
    assertEquals(0, shell.exitValue(), output);

    Path report = outputs.get(0);
    String json = Files.readString(report.resolve("report.json"));
    assertTrue(json.contains("\"format\" : \"rehoboam-backtest-report/1\""), json);
    assertTrue(json.contains("\"recording\" : \"sim-market.rrec\""), json);
    assertTrue(json.contains("\"notes\" : [ ]"), "a complete recording: " + json);
    assertTrue(Files.readString(report.resolve("report.html")).contains("Cumulative realized PnL"));
    assertTrue(output.contains("report in /tmp/rehoboam-backtest/report.html"), output);

    Path optimise = outputs.get(1);
    assertTrue(Files.readString(optimise.resolve("ranking.txt")).lines().count() == 5);
    RehoboamConfig best = ConfigLoader.load(optimise.resolve("best.yaml"), Map.of());
    assertTrue(best.bot("trader").isPresent());

    try (RecordingReader reader = RecordingReader.open(outputs.get(2))) {
      long updates = 0;
      RecordEntry e;
      while ((e = reader.next()) != null) {
        if (e instanceof RecordEntry.UpdateEntry) {
          updates++;
        }
      }
      assertTrue(reader.complete(), "the recording was closed");
      assertTrue(updates > 300, "updates " + updates);
    }
  }

  static String readmeBlock(Path root) throws IOException {
    List<String> lines = Files.readAllLines(root.resolve("README.md"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("<!-- backtest-commands")) {
        assertEquals("```bash", lines.get(i + 1), "the marker precedes a bash block");
        StringBuilder block = new StringBuilder();
        for (int j = i + 2; !lines.get(j).equals("```"); j++) {
          block.append(lines.get(j)).append('\n');
        }
        return block.toString();
      }
    }
    throw new AssertionError("README.md has no backtest-commands marker");
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
