package io.rehoboam.journal.cluster;

import io.rehoboam.core.BotOwnership;
import io.rehoboam.spi.event.BotState;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which bots a server of a cluster runs: those placed {@code everywhere}, and those whose lease it
 * holds; a bot another server runs is shown in the state that server last reported to its lease row
 * (as of this server's last heartbeat), a bot no server runs as stopped.
 */
public final class ClusterOwnership implements BotOwnership {
  private final ClusterMember member;
  private final Function<String, Placement> placement;

  public ClusterOwnership(ClusterMember member, Function<String, Placement> placement) {
    this.member = Objects.requireNonNull(member, "member");
    this.placement = Objects.requireNonNull(placement, "placement");
  }

  @Override
  public boolean owns(String botId) {
    return placement.apply(botId).everywhere() || member.tokenFor(botId).isPresent();
  }

  @Override
  public Optional<BotState> stateElsewhere(String botId) {
    for (Lease lease : member.lastLeases()) {
      if (!lease.botId().equals(botId)) {
        continue;
      }
      if (lease.owner() == null) {
        return Optional.of(BotState.STOPPED);
      }
      if (lease.owner().equals(member.serverId()) || lease.status() == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(BotState.valueOf(lease.status()));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
