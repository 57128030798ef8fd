package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rehoboam.backtest.optimise.Optimiser;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.http.ServerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.WalletUtils;

/**
 * Every YAML example a user may copy, read as text the way the server reads it: the {@code yaml}
 * blocks of every README and the YAML files under {@code examples/}. A configuration builds its
 * sources, executors and bots (connecting nothing, starting nothing) and its server section; a
 * search space of the optimiser loads as one.
 */
class YamlExamplesTest {
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```yaml\\n(.*?)^```");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern ENV_SETTING = Pattern.compile("[a-z_]*_env:\\s*([A-Z_][A-Z0-9_]*)");

  @TempDir Path dir;

  private record Example(String where, String yaml) {}

  @Test
  void everyYamlExampleLoads() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Example> examples = examples(root);
    assertTrue(examples.size() >= 8, "found only " + examples.size() + " examples");
    List<String> failures = new ArrayList<>();
    for (Example e : examples) {
      try {
        load(e);
      } catch (RuntimeException | IOException failure) {
        failures.add(e.where() + ": " + failure.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n", failures));
    }
  }

  private void load(Example e) throws IOException {
    Map<String, String> env = environmentFor(e.yaml());
    if (e.yaml().lines().anyMatch(l -> l.startsWith("parameters:"))) {
      Path file = dir.resolve("space.yaml");
      Files.writeString(file, e.yaml());
      Optimiser.Space.load(file);
      return;
    }
    RehoboamConfig config = ConfigLoader.parse(e.yaml(), e.where(), env);
    ServerSettings.from(config, env);
    io.rehoboam.journal.JournalSettings.from(
        config.server().section("journal"), e.where() + ": server.journal");
    io.rehoboam.journal.cluster.ClusterSettings.from(
        config.server().section("cluster"), e.where() + ": server.cluster");
    try (ArbitrageService service = ArbitrageService.builder().config(config).env(env).build()) {
      service.prepare();
    }
  }

  /**
   * Values for the variables an example names (the server would read them from its environment).
   */
  private Map<String, String> environmentFor(String yaml) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (Pattern p : List.of(REFERENCE, ENV_SETTING)) {
      Matcher m = p.matcher(yaml);
      while (m.find()) {
        String name = m.group(1);
        if (yaml.startsWith(":-", m.end())) {
          continue; // ${NAME:-default}: the example's own default applies
        }
        env.put(name, exampleValue(name, env));
      }
    }
    return env;
  }

  /** A value that looks like what the variable's name says it holds. */
  private String exampleValue(String name, Map<String, String> env) throws IOException {
    if (name.endsWith("DB_URL")) {
      return "jdbc:postgresql://127.0.0.1:5432/rehoboam";
    }
    if (name.contains("SEARCHER") && name.contains("KEY")) {
      // the searcher identity must not be the trading key: anvil's public key of account 1
      return "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    }
    if (name.contains("KEYSTORE") && !name.contains("PASSWORD")) {
      // an encrypted keystore, unlocked by the default password variable
      env.put("REHOBOAM_KEYSTORE_PASSWORD", "example-password");
      try {
        return dir.resolve(WalletUtils.generateLightNewWalletFile("example-password", dir.toFile()))
            .toString();
      } catch (java.security.GeneralSecurityException
          | org.web3j.crypto.exception.CipherException e) {
        throw new IOException("cannot write an example keystore", e);
      }
    }
    if (name.contains("KEY") && !name.contains("API")) {
      // a private key has to look like one: anvil's public test key of account 0
      return "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    }
    if (name.contains("EXECUTOR") || name.contains("ADDRESS")) {
      return "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    }
    if (name.contains("POOL") || name.contains("WETH") || name.contains("TOKEN")) {
      // an address of its own per name (two pools are two addresses)
      return String.format(
          "0x%040x",
          new java.math.BigInteger(1, name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .mod(java.math.BigInteger.TWO.pow(160)));
    }
    if (name.endsWith("URL")) {
      return "http://127.0.0.1:8545";
    }
    return "example-" + name.toLowerCase(java.util.Locale.ROOT);
  }

  private static List<Example> examples(Path root) throws IOException {
    List<Example> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(YamlExamplesTest::mine).sorted().toList()) {
        String name = root.relativize(f).toString();
        if (name.endsWith(".md")) {
          Matcher m = BLOCK.matcher(Files.readString(f, StandardCharsets.UTF_8));
          int n = 0;
          while (m.find()) {
            out.add(new Example(name + " yaml block " + ++n, m.group(1)));
          }
        } else {
          out.add(new Example(name, Files.readString(f, StandardCharsets.UTF_8)));
        }
      }
    }
    assertFalse(out.isEmpty());
    return out;
  }

  private static boolean mine(Path f) {
    String s = f.toString();
    if (s.contains("/node_modules/") || s.contains("/target/") || s.contains("/.git/")) {
      return false;
    }
    String name = f.getFileName().toString();
    return name.equals("README.md")
        || (s.contains("/examples/") && (name.endsWith(".yaml") || name.endsWith(".yml")));
  }
}
