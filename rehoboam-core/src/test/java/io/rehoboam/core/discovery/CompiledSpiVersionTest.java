package io.rehoboam.core.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.spi.BotProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Spi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider compiled against another SPI version reports that version: {@code return Spi.VERSION;}
 * is compiled into the provider's own class. The test compiles a provider against an SPI whose
 * {@code Spi.VERSION} is 1, loads it next to this engine's SPI and sees it refused, in code and
 * through discovery, with both versions named.
 */
class CompiledSpiVersionTest {
  @TempDir Path dir;

  private static final String OLD_SPI =
      """
      package io.rehoboam.spi;

      public final class Spi {
        public static final int VERSION = 1;

        private Spi() {}
      }
      """;

  private static final String PROVIDER =
      """
      package io.rehoboam.legacy;

      import io.rehoboam.spi.Bot;
      import io.rehoboam.spi.BotContext;
      import io.rehoboam.spi.BotProvider;
      import io.rehoboam.spi.BotSpec;
      import io.rehoboam.spi.SettingsSchema;
      import io.rehoboam.spi.Spi;

      public final class LegacyProvider implements BotProvider {
        @Override
        public String type() {
          return "legacy";
        }

        @Override
        public int spiVersion() {
          return Spi.VERSION;
        }

        @Override
        public SettingsSchema settingsSchema() {
          return SettingsSchema.none();
        }

        @Override
        public Bot create(BotSpec spec, BotContext context) {
          throw new UnsupportedOperationException("never built");
        }
      }
      """;

  /** Compiles the provider against the old Spi and returns a loader of the provider alone. */
  private ClassLoader compiledAgainstVersion1() throws Exception {
    Path src = dir.resolve("src");
    Path out = dir.resolve("out");
    Files.createDirectories(src.resolve("io/rehoboam/spi"));
    Files.createDirectories(src.resolve("io/rehoboam/legacy"));
    Files.createDirectories(out);
    Path spi = src.resolve("io/rehoboam/spi/Spi.java");
    Path provider = src.resolve("io/rehoboam/legacy/LegacyProvider.java");
    Files.writeString(spi, OLD_SPI);
    Files.writeString(provider, PROVIDER);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    String spiJar =
        Path.of(BotProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            null,
            new PrintStream(errors, true, StandardCharsets.UTF_8),
            "--release",
            "17",
            "-cp",
            spiJar,
            "-d",
            out.toString(),
            spi.toString(),
            provider.toString());
    assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
    // Only the provider ships: at run time it meets this engine's SPI, version 2.
    Files.delete(out.resolve("io/rehoboam/spi/Spi.class"));
    Path services = out.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve("io.rehoboam.spi.BotProvider"), "io.rehoboam.legacy.LegacyProvider\n");
    return new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void aProviderCompiledAgainstAnotherSpiVersionIsRefusedWithBothVersions() throws Exception {
    ClassLoader loader = compiledAgainstVersion1();
    BotProvider legacy =
        (BotProvider)
            loader.loadClass("io.rehoboam.legacy.LegacyProvider").getConstructor().newInstance();
    assertEquals(1, legacy.spiVersion(), "the version it was compiled against");
    assertEquals(2, Spi.VERSION);

    try (ArbitrageService service = ArbitrageService.builder().env(Map.of()).build()) {
      RehoboamException e =
          assertThrows(RehoboamException.class, () -> service.registerProvider(legacy));
      assertEquals(ErrorCode.SPI_VERSION_MISMATCH, e.code());
      assertTrue(e.getMessage().contains("built for SPI version 1"), e.getMessage());
      assertTrue(e.getMessage().contains("implements SPI version 2"), e.getMessage());
    }
    try (ArbitrageService service =
        ArbitrageService.builder().env(Map.of()).classLoader(loader).build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals(ErrorCode.SPI_VERSION_MISMATCH, e.code());
      assertTrue(e.getMessage().contains("LegacyProvider"), e.getMessage());
      assertTrue(e.getMessage().contains("built for SPI version 1"), e.getMessage());
      assertTrue(e.getMessage().contains("implements SPI version 2"), e.getMessage());
    }
  }
}
