package io.rehoboam.journal.cluster;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A server's place in a cluster: the {@code server.cluster} section of a configuration (needs a
 * PostgreSQL journal, {@code server.journal.url}).
 *
 * <pre>
 * server:
 *   cluster:
 *     server_id: a          # unique among the servers sharing the journal
 *     tags: [eu]            # for placement "tag: eu"
 *     lease: 5s             # a server that stops renewing loses its bots within this time
 *     placement:            # per bot: any (default), "server: NAME" or "tag: T"
 *       arb-eu: "tag: eu"
 * </pre>
 *
 * @param serverId this server's id, or null when the section is absent (no cluster)
 * @param tags this server's tags
 * @param lease the lease time
 * @param placement where each named bot may run; a bot not named runs anywhere
 */
public record ClusterSettings(
    String serverId, Set<String> tags, Duration lease, Map<String, Placement> placement) {
  /** The keys of the {@code server.cluster} section. */
  public static final List<String> KEYS = List.of("server_id", "tags", "lease", "placement");

  /** The lease time unless configured. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  /** No section: one server alone. */
  public static final ClusterSettings NONE =
      new ClusterSettings(null, Set.of(), DEFAULT_LEASE, Map.of());

  /**
   * Reads a {@code server.cluster} section.
   *
   * @param where the file and section, for messages
   * @throws RehoboamException INVALID_CONFIG naming the key for an unknown key or a bad value
   */
  public static ClusterSettings from(Settings section, String where) {
    if (section.names().isEmpty()) {
      return NONE;
    }
    for (String name : section.names()) {
      if (!KEYS.contains(name)) {
        throw config(where + "." + name + ": unknown key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String serverId;
    Set<String> tags;
    Duration lease;
    Settings placements;
    try {
      serverId = section.string("server_id").orElse(null);
      tags = new LinkedHashSet<>(section.stringList("tags"));
      lease = section.duration("lease", DEFAULT_LEASE);
      placements = section.section("placement");
    } catch (RehoboamException e) {
      throw config(where + ": " + e.getMessage());
    }
    if (serverId == null || !serverId.matches("[A-Za-z0-9_.-]{1,100}")) {
      throw config(where + ".server_id: expected 1 to 100 letters, digits, '.', '_' or '-'");
    }
    for (String tag : tags) {
      if (!tag.matches("[A-Za-z0-9_.-]{1,100}")) {
        throw config(where + ".tags: '" + tag + "' is not a valid tag");
      }
    }
    if (lease.toMillis() < 300 || lease.compareTo(Duration.ofMinutes(10)) > 0) {
      throw config(where + ".lease: expected between 300ms and 10m");
    }
    Map<String, Placement> placement = new TreeMap<>();
    for (String bot : placements.names()) {
      try {
        placement.put(bot, Placement.parse(placements.string(bot).orElse("any")));
      } catch (RehoboamException e) {
        throw config(where + ".placement." + bot + ": " + e.getMessage());
      }
    }
    return new ClusterSettings(serverId, Set.copyOf(tags), lease, Map.copyOf(placement));
  }

  /** Whether this server is a member of a cluster. */
  public boolean enabled() {
    return serverId != null;
  }

  /** Where the bot may run. */
  public Placement placementOf(String botId) {
    return placement.getOrDefault(botId, Placement.ANY);
  }

  private static RehoboamException config(String message) {
    return new RehoboamException(ErrorCode.INVALID_CONFIG, message);
  }
}
