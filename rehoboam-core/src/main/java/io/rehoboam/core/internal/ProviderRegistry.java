package io.rehoboam.core.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Spi;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The providers of one kind (bots, market sources, trade executors) by type id.
 *
 * <p>Rules: a provider that cannot be loaded is reported and skipped; two discovered providers with
 * one type id fail with both class names; a provider built for another SPI version fails with both
 * versions; a provider registered explicitly replaces a discovered one of the same type (explicit
 * wins).
 */
public final class ProviderRegistry<P> {
  private final Class<P> kind;
  private final Function<P, String> typeOf;
  private final ToIntFunction<P> versionOf;
  private final Map<String, P> discovered = new ConcurrentHashMap<>();
  private final Map<String, P> explicit = new ConcurrentHashMap<>();

  public ProviderRegistry(Class<P> kind, Function<P, String> typeOf, ToIntFunction<P> versionOf) {
    this.kind = kind;
    this.typeOf = typeOf;
    this.versionOf = versionOf;
  }

  /**
   * Loads every provider of this kind visible to {@code loader}. Providers that fail to load are
   * passed to {@code skipped} with the reason and left out.
   */
  public void discover(ClassLoader loader, Consumer<String> skipped) {
    Map<String, P> found = new LinkedHashMap<>();
    Iterator<P> it = ServiceLoader.load(kind, loader).iterator();
    while (true) {
      P provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        skipped.accept(
            kind.getSimpleName() + " could not be loaded and was skipped: " + describe(e));
        continue;
      }
      String type;
      try {
        type = typeOf.apply(provider);
        checkVersion(provider);
      } catch (RehoboamException e) {
        throw e;
      } catch (RuntimeException | LinkageError e) {
        skipped.accept(
            kind.getSimpleName()
                + " "
                + provider.getClass().getName()
                + " failed and was skipped: "
                + describe(e));
        continue;
      }
      if (type == null || type.isBlank()) {
        skipped.accept(
            kind.getSimpleName()
                + " "
                + provider.getClass().getName()
                + " has no type id; skipped");
        continue;
      }
      P previous = found.putIfAbsent(type, provider);
      if (previous != null) {
        throw new RehoboamException(
            ErrorCode.PROVIDER_CONFLICT,
            "two "
                + kind.getSimpleName()
                + "s claim type '"
                + type
                + "': "
                + previous.getClass().getName()
                + " and "
                + provider.getClass().getName()
                + " (remove one from the class path, or register the one you want explicitly)");
      }
    }
    discovered.clear();
    discovered.putAll(found);
  }

  /**
   * Registers a provider in code; it replaces any discovered or earlier explicit one of its type.
   */
  public void register(P provider) {
    String type = typeOf.apply(provider);
    if (type == null || type.isBlank()) {
      throw RehoboamException.invalid("type", provider.getClass().getName() + " has no type id");
    }
    checkVersion(provider);
    explicit.put(type, provider);
  }

  public Optional<P> find(String type) {
    P p = explicit.get(type);
    return Optional.ofNullable(p != null ? p : discovered.get(type));
  }

  /** The provider of {@code type}, or a NOT_FOUND error listing the known types. */
  public P require(String type) {
    return find(type)
        .orElseThrow(
            () ->
                new RehoboamException(
                    ErrorCode.NOT_FOUND,
                    "unknown "
                        + kind.getSimpleName()
                        + " type '"
                        + type
                        + "' (known: "
                        + String.join(", ", types())
                        + ")"));
  }

  /** Every registered provider, in type order. */
  public List<P> all() {
    return types().stream().map(this::require).toList();
  }

  public List<String> types() {
    TreeSet<String> all = new TreeSet<>(discovered.keySet());
    all.addAll(explicit.keySet());
    return List.copyOf(all);
  }

  private void checkVersion(P provider) {
    int version = versionOf.applyAsInt(provider);
    if (version != Spi.VERSION) {
      throw new RehoboamException(
          ErrorCode.SPI_VERSION_MISMATCH,
          kind.getSimpleName()
              + " "
              + provider.getClass().getName()
              + " was built for SPI version "
              + version
              + " but this engine implements SPI version "
              + Spi.VERSION);
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      sb.append(" (caused by ").append(root).append(')');
    }
    return sb.toString();
  }
}
