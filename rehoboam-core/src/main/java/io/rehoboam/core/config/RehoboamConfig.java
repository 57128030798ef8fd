package io.rehoboam.core.config;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of an ArbitrageService, as read by {@link ConfigLoader}. The {@code bots}
 * section is fully parsed; the other sections are kept as raw settings for the components that own
 * them. Immutable.
 *
 * @param source where it came from: the file path as given to {@link ConfigLoader#load}, the name
 *     given to {@link ConfigLoader#parse} ({@code "<inline>"} when none), or {@code "<none>"} for
 *     {@link #empty()}
 * @param bots the bots in file order, ids unique
 * @param sources section {@code sources}; null means empty
 * @param executors section {@code executors}; null means empty
 * @param risk section {@code risk}; null means empty
 * @param server section {@code server} (bind, port, keys, limits, CORS); null means empty
 * @param quote section {@code quote} (currency, prices); null means empty
 */
public record RehoboamConfig(
    String source,
    List<BotConfig> bots,
    Settings sources,
    Settings executors,
    Settings risk,
    Settings server,
    Settings quote) {

  /** The top-level sections, in documentation order. */
  public static final List<String> SECTIONS =
      List.of("bots", "sources", "executors", "risk", "server", "quote");

  private static final RehoboamConfig EMPTY =
      new RehoboamConfig("<none>", List.of(), null, null, null, null, null);

  public RehoboamConfig {
    Checks.notBlank(source, "source");
    bots = List.copyOf(Checks.notNull(bots, "bots"));
    Set<String> ids = new HashSet<>();
    for (BotConfig bot : bots) {
      if (!ids.add(bot.id())) {
        throw RehoboamException.invalid("bots", "duplicate bot id '" + bot.id() + "'");
      }
    }
    sources = orEmpty(sources);
    executors = orEmpty(executors);
    risk = orEmpty(risk);
    server = orEmpty(server);
    quote = orEmpty(quote);
  }

  /** No bots and empty sections: what a service runs with when given no configuration. */
  public static RehoboamConfig empty() {
    return EMPTY;
  }

  /** The bot with this id, if configured. */
  public Optional<BotConfig> bot(String id) {
    return bots.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** The ids of the configured bots, in file order. */
  public Set<String> botIds() {
    Set<String> out = new LinkedHashSet<>();
    bots.forEach(b -> out.add(b.id()));
    return java.util.Collections.unmodifiableSet(out);
  }

  private static Settings orEmpty(Settings s) {
    return s == null ? Settings.empty() : s;
  }
}
