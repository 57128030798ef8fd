package io.rehoboam.bot.layer2.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running layer2 bots' desks, so that the {@code layer2} trade executor, which the service
 * builds apart from any bot, can hand an opportunity to the desk that published it. The SPI gives a
 * bot no way to reach an executor (nor an executor a bot); an opportunity id carries its desk's
 * random id ({@code xl-<desk>-<n>}), which is unique in the JVM, so two services in one JVM never
 * see each other's desks. A desk is registered while its bot runs and removed when it stops.
 */
public final class Desks {
  /** Every layer2 opportunity id starts with this. */
  public static final String PREFIX = "xl-";

  private static final Map<String, Desk> DESKS = new ConcurrentHashMap<>();

  private Desks() {}

  static void register(Desk desk) {
    DESKS.put(desk.id(), desk);
  }

  static void unregister(Desk desk) {
    DESKS.remove(desk.id(), desk);
  }

  /** The desk that published {@code opportunityId}, while its bot runs. */
  static Optional<Desk> forOpportunity(String opportunityId) {
    if (opportunityId == null || !opportunityId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = opportunityId.indexOf('-', PREFIX.length());
    if (end < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(DESKS.get(opportunityId.substring(PREFIX.length(), end)));
  }
}
