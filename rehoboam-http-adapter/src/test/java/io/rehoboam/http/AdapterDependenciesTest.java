package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The adapter uses the backtester through its small public API only. */
class AdapterDependenciesTest {
  @Test
  void theAdapterImportsOnlyTheBacktestJobsApi() throws IOException {
    List<String> wrong = new ArrayList<>();
    int uses = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.contains("io.rehoboam.backtest.")) {
            if (line.contains("io.rehoboam.backtest.jobs.")) {
              uses++;
            } else {
              wrong.add(file.getFileName() + ": " + line.trim());
            }
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(uses > 0, "the adapter serves backtests");
  }
}
