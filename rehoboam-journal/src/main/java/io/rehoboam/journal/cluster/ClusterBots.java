package io.rehoboam.journal.cluster;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.BotStatus;
import io.rehoboam.journal.JdbcJournal;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.event.BotState;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's bots as its cluster lease says: a bot this server gains runs if its desired
 * state (shared in the journal, whichever server recorded it) says so; a bot it loses stops at
 * once, its desired state untouched; after each heartbeat the owned bots follow their desired state
 * (a start or stop asked of another server) and their states are reported for the others.
 */
public final class ClusterBots implements ClusterMember.Listener {
  private static final Logger log = LoggerFactory.getLogger(ClusterBots.class);

  private final ArbitrageService service;
  private final JdbcJournal journal;
  private final ClusterMember member;
  private final Predicate<String> autostart;

  /**
   * @param autostart whether a bot with no desired state recorded runs (its configuration's {@code
   *     autostart})
   */
  public ClusterBots(
      ArbitrageService service,
      JdbcJournal journal,
      ClusterMember member,
      Predicate<String> autostart) {
    this.service = Objects.requireNonNull(service, "service");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.member = Objects.requireNonNull(member, "member");
    this.autostart = Objects.requireNonNull(autostart, "autostart");
  }

  @Override
  public void acquired(String botId, long token) {
    try {
      apply(botId, journal.desiredStates().get(botId));
    } catch (RehoboamException e) {
      log.warn("Bot {} gained by {}: not started: {}", botId, member.serverId(), e.getMessage());
    }
  }

  @Override
  public void lost(String botId, String why) {
    log.warn("Bot {} leaves server {}: {}", botId, member.serverId(), why);
    try {
      service.suspend(botId);
    } catch (RehoboamException e) {
      log.warn("Bot {}: stopping it failed: {}", botId, e.getMessage());
    }
  }

  @Override
  public void beat(Map<String, Long> owned) {
    try {
      Map<String, BotState> desired = journal.desiredStates();
      Map<String, String> statuses = new HashMap<>();
      for (String botId : owned.keySet()) {
        apply(botId, desired.get(botId));
        statuses.put(botId, service.bot(botId).status().name());
      }
      member.reportStatus(statuses);
    } catch (RehoboamException e) {
      log.warn("Server {}: applying desired states failed: {}", member.serverId(), e.getMessage());
    }
  }

  private void apply(String botId, BotState desired) {
    BotStatus status;
    try {
      status = service.bot(botId);
    } catch (RehoboamException e) {
      return; // not a bot of this server's configuration
    }
    boolean autostart = desired == null && this.autostart.test(botId);
    boolean run = desired == BotState.RUNNING || autostart;
    boolean active =
        status.status() == BotState.RUNNING
            || status.status() == BotState.STARTING
            || status.status() == BotState.BACKOFF;
    if (run && !active) {
      service.resume(botId);
    } else if (!run && active) {
      service.suspend(botId);
    }
  }
}
