package io.rehoboam.core.scan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.core.scan.gen.GenerateMarket;
import io.rehoboam.spi.trade.Opportunity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command-line example, taken from README.md itself: the generator and the scan
 * command run with its arguments (2000 pools instead of 200000, the output directory moved into a
 * temporary one).
 */
class ReadmeScanCommandsTest {
  @TempDir Path dir;

  @Test
  void theReadmeCommandsRunAsShown() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int marker = readme.indexOf("<!-- scan-commands:");
    assertTrue(marker >= 0, "README.md marks its scan commands");
    int start = readme.indexOf("```bash", marker) + "```bash".length();
    String block = readme.substring(start, readme.indexOf("```", start)).replace("\\\n", " ");
    List<String[]> commands = new ArrayList<>();
    for (String line : block.split("\n")) {
      if (line.contains("io.rehoboam.core.scan.")) {
        String[] words = line.trim().split("\\s+");
        int main = 0;
        while (!words[main].startsWith("io.rehoboam.core.scan.")) {
          main++;
        }
        String[] args = new String[words.length - main];
        System.arraycopy(words, main, args, 0, args.length);
        for (int i = 1; i < args.length; i++) {
          args[i] = args[i].replace("/tmp/market", dir.toString()).replace("200000", "2000");
        }
        commands.add(args);
      }
    }
    assertEquals(2, commands.size(), "the generator and the scan command");
    String[] generate = commands.get(0);
    assertEquals(GenerateMarket.class.getName(), generate[0]);
    Run generated = run(generate, GenerateMarket::run);
    assertEquals(0, generated.code, generated.err);
    assertTrue(generated.out.contains("(sparse, volatile, seed 1"), generated.out);

    String[] scan = commands.get(1);
    assertEquals(ScanCommand.class.getName(), scan[0]);
    Run scanned = run(scan, ScanCommand::run);
    assertEquals(0, scanned.code, scanned.err);
    assertTrue(scanned.err.contains("stats: pools 2000, load "), scanned.err);
    assertTrue(scanned.err.contains("scans 5, min "), scanned.err);
    List<Opportunity> found = new ArrayList<>();
    for (String line : scanned.out.split("\n")) {
      found.add(RehoboamJson.mapper().readValue(line, Opportunity.class));
    }
    assertEquals(10, found.size(), "--top 10 on a volatile market");
    Map<String, Set<String>> poolsByPair = new HashMap<>();
    for (Opportunity o : found) {
      assertTrue(o.netProfitUsd().signum() > 0, "valued in USD");
      if (o.strategy().equals("cross_venue")) {
        String pair = o.legs().get(0).tokenIn() + o.legs().get(0).tokenOut();
        assertTrue(
            poolsByPair.put(pair, Set.of(o.id())) == null,
            "one opportunity per pair by default: " + pair);
      }
    }
  }

  private record Run(int code, String out, String err) {}

  private interface Main {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  private static Run run(String[] command, Main main) {
    String[] args = new String[command.length - 1];
    System.arraycopy(command, 1, args, 0, args.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8));
  }
}
