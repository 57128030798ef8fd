package io.rehoboam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.BotStatus;
import io.rehoboam.core.config.ConfigLoader;
import io.rehoboam.core.history.ExecutionQuery;
import io.rehoboam.core.history.TradeRecord;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.BotLogEvent;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.event.ExecutionEvent;
import io.rehoboam.spi.trade.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example plugin ({@code src/test/resources/example-plugin}, shown in the README's
 * plugin section) compiles against the SPI jar alone, is found through {@link
 * java.util.ServiceLoader} and runs: its settings are checked against its schema, its secret is
 * masked, and the trade it makes by itself reaches the trade history with its final status.
 */
class ExamplePluginTest {
  private static final Path TREE = Path.of("src/test/resources/example-plugin");
  private static final Path SOURCE = TREE.resolve("com/example/plugin/SelfTraderProvider.java");

  @TempDir Path out;

  @Test
  void theReadmeShowsThePluginAsItIsCompiled() throws Exception {
    String readme = Files.readString(ModuleBoundariesTest.root().resolve("README.md"));
    int section = readme.indexOf("### Example plugin");
    assertTrue(section >= 0, "README.md has the example plugin");
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(section), "the example plugin section has a java block");
    assertEquals(Files.readString(SOURCE), m.group(1), "README and plugin source differ");
  }

  /** Compiles the plugin's tree against the SPI classes only; returns a loader of the plugin. */
  private URLClassLoader compiledPlugin() throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    String spi =
        Path.of(BotProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            null,
            new PrintStream(diagnostics, true, StandardCharsets.UTF_8),
            "--release",
            "17",
            "-Xlint:all",
            "-Werror",
            "-cp",
            spi,
            "-d",
            out.toString(),
            SOURCE.toString());
    assertEquals(0, rc, "the example plugin does not compile:\n" + diagnostics);
    Path services = TREE.resolve("META-INF/services/io.rehoboam.spi.BotProvider");
    Files.createDirectories(out.resolve("META-INF/services"));
    Files.copy(services, out.resolve("META-INF/services/io.rehoboam.spi.BotProvider"));
    try (Stream<Path> classes = Files.walk(out)) {
      assertTrue(classes.anyMatch(p -> p.toString().endsWith("SelfTraderProvider.class")));
    }
    return new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void thePluginIsDiscoveredValidatedAndItsTradeGoesThroughTheEngine() throws Exception {
    try (URLClassLoader loader = compiledPlugin();
        ArbitrageService service =
            ArbitrageService.builder()
                .env(Map.of())
                .classLoader(loader)
                .config(
                    ConfigLoader.parse(
                        "sources:\n  sim:\n    type: sim\n    pools: 48\n    update_interval: 0\n",
                        "example",
                        Map.of()))
                .build()) {
      CountDownLatch simulated = new CountDownLatch(1);
      CountDownLatch logged = new CountDownLatch(1);
      service.subscribe(
          e -> {
            if (e instanceof ExecutionEvent x
                && x.execution().status() == ExecutionStatus.SIMULATED) {
              simulated.countDown();
            } else if (e instanceof BotLogEvent l && l.message().contains("native tokens")) {
              logged.countDown();
            }
          });
      service.initialize();
      assertTrue(service.botTypes().contains("self_trader"), service.botTypes().toString());

      RehoboamException wrongType =
          assertThrows(
              RehoboamException.class,
              () -> service.register(bot("bad", Map.of("profit", "a lot"))));
      assertEquals(ErrorCode.INVALID_CONFIG, wrongType.code());
      assertTrue(
          wrongType.getMessage().startsWith("bot 'bad': profit: expected an integer"),
          wrongType.getMessage());
      RehoboamException unknown =
          assertThrows(
              RehoboamException.class, () -> service.register(bot("bad", Map.of("proift", 5))));
      assertTrue(
          unknown.getMessage().startsWith("bot 'bad': proift: unknown setting"),
          unknown.getMessage());
      assertEquals(List.of(), service.bots(), "nothing was registered");

      service.register(bot("trader", Map.of("profit", 250, "api_key", "sk-example-123456")));
      assertEquals("***", service.botSettings("trader").get("api_key"));
      BotStatus running = service.start("trader");
      assertEquals(BotState.RUNNING, running.status());
      assertTrue(logged.await(10, TimeUnit.SECONDS), "the bot read the source's native tokens");
      assertTrue(simulated.await(10, TimeUnit.SECONDS), "the bot's trade reached the engine");

      List<TradeRecord> history =
          service
              .executions(new ExecutionQuery("trader", null, null, null, null, null, 10))
              .executions();
      assertEquals(1, history.size(), history.toString());
      assertEquals("trader-1", history.get(0).id());
      assertEquals(ExecutionStatus.SIMULATED, history.get(0).status());
      assertEquals(250, history.get(0).realizedProfit().intValueExact());
    }
  }

  private static BotRegistration bot(String id, Map<String, ?> settings) {
    return BotRegistration.of(id, "self_trader", Settings.of(settings));
  }
}
