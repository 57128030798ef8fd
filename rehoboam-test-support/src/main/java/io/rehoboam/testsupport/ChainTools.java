package io.rehoboam.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the build put the chain tools: the npm packages of this module's {@code package.json}
 * (anvil, the Uniswap V2 artifacts, solc-js), installed by {@code npm ci} in the module's {@code
 * initialize} phase. The location is written into the jar at build time, so tests of other modules
 * find the same installation.
 */
public final class ChainTools {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_MODULES = locate();

  private ChainTools() {}

  private static Path locate() {
    Properties p = new Properties();
    try (InputStream in = ChainTools.class.getResourceAsStream("paths.properties")) {
      if (in == null) {
        throw new IllegalStateException("paths.properties is missing from rehoboam-test-support");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path dir = Path.of(p.getProperty("node.modules"));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " does not exist: build rehoboam-test-support first (it runs npm ci)");
    }
    return dir;
  }

  /** The installed {@code node_modules} directory. */
  public static Path nodeModules() {
    return NODE_MODULES;
  }

  /** The anvil binary of {@code @foundry-rs/anvil-linux-amd64}. */
  public static Path anvil() {
    Path bin = NODE_MODULES.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(bin + " is missing or not executable");
    }
    return bin;
  }

  /** The solc-js compiler wrapper ({@code solc/solc.js}), run with the machine's node. */
  public static Path solcJs() {
    return NODE_MODULES.resolve("solc/solc.js");
  }

  /**
   * Compiles a Solidity file with the pinned solc-js ({@code scripts/compile-solidity.js}:
   * optimizer 200 runs, EVM cancun) and returns {@code {contractName, compiler, abi, bytecode}} of
   * one contract.
   */
  public static JsonNode compileSolidity(Path source, String contract) {
    Path script = NODE_MODULES.getParent().resolve("scripts/compile-solidity.js");
    try {
      Process p =
          new ProcessBuilder("node", script.toString(), source.toString(), contract)
              .redirectErrorStream(false)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("solc failed on " + source + ": " + err);
      }
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while compiling " + source, e);
    }
  }

  /** Reads a Truffle/Waffle style artifact, for example {@code @uniswap/v2-core/build/ERC20}. */
  public static JsonNode artifact(String packagePathWithoutJson) {
    Path file = NODE_MODULES.resolve(packagePathWithoutJson + ".json");
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read artifact " + file, e);
    }
  }

  /** The creation bytecode of an artifact, hex without {@code 0x}. */
  public static String creationCode(String packagePathWithoutJson) {
    String code = artifact(packagePathWithoutJson).path("bytecode").asText();
    if (code.isEmpty()) {
      throw new IllegalStateException(packagePathWithoutJson + " has no bytecode");
    }
    return code.startsWith("0x") ? code.substring(2) : code;
  }
}
