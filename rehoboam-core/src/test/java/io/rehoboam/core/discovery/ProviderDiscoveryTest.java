package io.rehoboam.core.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.testing.EventRecorder;
import io.rehoboam.core.testing.ScriptedProvider;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import io.rehoboam.spi.event.SystemEvent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLoader discovery through a class loader whose only service file the test writes. */
class ProviderDiscoveryTest {
  @TempDir Path dir;

  private ClassLoader loaderListing(Class<?>... providers) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    StringBuilder sb = new StringBuilder("# written by the test\n");
    for (Class<?> c : providers) {
      sb.append(c.getName()).append('\n');
    }
    Files.writeString(services.resolve("io.rehoboam.spi.BotProvider"), sb.toString());
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private static ArbitrageService.Builder builder(ClassLoader loader) {
    return ArbitrageService.builder().env(Map.of()).classLoader(loader);
  }

  @Test
  void discoversProvidersAndSkipsABrokenOneWithAReport() throws Exception {
    ClassLoader loader =
        loaderListing(
            DiscoverableProviders.Alpha.class,
            DiscoverableProviders.Broken.class,
            DiscoverableProviders.Beta.class);
    EventRecorder recorder = new EventRecorder();
    try (ArbitrageService service = builder(loader).build()) {
      service.subscribe(recorder);
      service.initialize();
      // The test class loader also sees core's own service files: the built-in types are listed
      // too.
      assertTrue(
          service.botTypes().containsAll(List.of("alpha", "beta")), service.botTypes().toString());
      assertTrue(service.botTypes().containsAll(List.of("live_monitor", "real_executor")));
      SystemEvent skipped =
          (SystemEvent)
              recorder.await(
                  e -> e instanceof SystemEvent s && s.kind().equals("provider.skipped"));
      assertTrue(skipped.message().contains("missing native library libfoo"), skipped.message());
      service.register(BotRegistration.of("a", "alpha", Settings.empty()));
      assertEquals("alpha", service.bot("a").type());
    }
  }

  @Test
  void twoDiscoveredProvidersOfOneTypeFailWithBothClassNames() throws Exception {
    ClassLoader loader =
        loaderListing(DiscoverableProviders.Alpha.class, DiscoverableProviders.AlphaTwin.class);
    try (ArbitrageService service = builder(loader).build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals(ErrorCode.PROVIDER_CONFLICT, e.code());
      assertTrue(e.getMessage().contains(DiscoverableProviders.Alpha.class.getName()));
      assertTrue(e.getMessage().contains(DiscoverableProviders.AlphaTwin.class.getName()));
    }
  }

  @Test
  void aProviderForAnotherSpiVersionIsRefusedWithBothVersions() throws Exception {
    ClassLoader loader = loaderListing(DiscoverableProviders.FromTheFuture.class);
    try (ArbitrageService service = builder(loader).build()) {
      RehoboamException e = assertThrows(RehoboamException.class, service::initialize);
      assertEquals(ErrorCode.SPI_VERSION_MISMATCH, e.code());
      assertTrue(e.getMessage().contains("SPI version 99"), e.getMessage());
      assertTrue(
          e.getMessage().contains("SPI version " + io.rehoboam.spi.Spi.VERSION), e.getMessage());
    }
    try (ArbitrageService service = ArbitrageService.builder().env(Map.of()).build()) {
      RehoboamException e =
          assertThrows(
              RehoboamException.class,
              () -> service.registerProvider(new DiscoverableProviders.FromTheFuture()));
      assertEquals(ErrorCode.SPI_VERSION_MISMATCH, e.code());
    }
  }

  @Test
  void anExplicitProviderReplacesADiscoveredOneOfTheSameType() throws Exception {
    ClassLoader loader = loaderListing(DiscoverableProviders.Alpha.class);
    ScriptedProvider explicit = new ScriptedProvider("alpha", Set.of());
    try (ArbitrageService service = builder(loader).provider(explicit).build()) {
      service.initialize();
      service.register(BotRegistration.of("a", "alpha", Settings.empty()));
      service.start("a");
      assertEquals(1, explicit.instances.size(), "the explicit provider built the bot");
    }
  }

  @Test
  void explicitRegistrationWorksWithoutDiscovery() {
    ScriptedProvider explicit = new ScriptedProvider();
    try (ArbitrageService service =
        ArbitrageService.builder().env(Map.of()).discoverProviders(false).build()) {
      service.initialize();
      service.registerProvider(explicit);
      assertEquals(List.of("scripted"), service.botTypes());
    }
  }
}
