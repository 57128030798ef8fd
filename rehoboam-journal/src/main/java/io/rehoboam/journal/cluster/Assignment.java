package io.rehoboam.journal.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which live server each bot should run on: every server computes it from the same rows, so they
 * agree without talking to each other. Bots in id order, each to the eligible server (placement)
 * running the fewest so far; among those, the bot's current owner (no needless move), else the
 * smallest server id. A bot no live server may run is on none.
 */
final class Assignment {
  private Assignment() {}

  static Map<String, String> of(List<Member> members, List<Lease> leases) {
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(Member::serverId));
    List<Lease> bots = new ArrayList<>(leases);
    bots.sort(Comparator.comparing(Lease::botId));
    Map<String, Integer> counts = new HashMap<>();
    sorted.forEach(m -> counts.put(m.serverId(), 0));
    Map<String, String> out = new TreeMap<>();
    for (Lease lease : bots) {
      Member best = null;
      for (Member m : sorted) {
        if (!lease.placement().allows(m.serverId(), m.tags())) {
          continue;
        }
        if (best == null) {
          best = m;
          continue;
        }
        int c = counts.get(m.serverId());
        int b = counts.get(best.serverId());
        if (c < b || (c == b && m.serverId().equals(lease.owner()))) {
          best = m;
        }
      }
      if (best != null) {
        out.put(lease.botId(), best.serverId());
        counts.merge(best.serverId(), 1, Integer::sum);
      }
    }
    return out;
  }
}
