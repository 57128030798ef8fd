package io.rehoboam.core.internal;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.market.MarketSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's market sources by id, in registration order; closes them all on close. */
public final class MarketSources {
  private static final Logger log = LoggerFactory.getLogger(MarketSources.class);
  private final Map<String, MarketSource> byId = new LinkedHashMap<>();
  private final java.util.Set<String> used = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A source a bot asked for: from then on its health matters to the service's readiness. */
  public MarketSource use(String id) {
    MarketSource s = get(id);
    used.add(id);
    return s;
  }

  /** Whether a bot has asked for this source since the service started. */
  public boolean inUse(String id) {
    return used.contains(id);
  }

  public synchronized void add(MarketSource source) {
    if (byId.containsKey(source.id())) {
      throw new RehoboamException(
          ErrorCode.ALREADY_EXISTS, "a market source with id '" + source.id() + "' already exists");
    }
    byId.put(source.id(), source);
  }

  public synchronized MarketSource get(String id) {
    MarketSource s = byId.get(id);
    if (s == null) {
      throw new RehoboamException(
          ErrorCode.NOT_FOUND,
          "no market source with id '"
              + id
              + "' (known: "
              + String.join(", ", byId.keySet())
              + ")");
    }
    return s;
  }

  public synchronized List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public synchronized Collection<MarketSource> all() {
    return List.copyOf(byId.values());
  }

  /** Closes every source, in reverse order; a failing close is logged, not thrown. */
  public void closeAll() {
    List<MarketSource> sources;
    synchronized (this) {
      sources = new ArrayList<>(byId.values());
      byId.clear();
    }
    java.util.Collections.reverse(sources);
    for (MarketSource s : sources) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.warn("Market source {} failed to close", s.id(), e);
      }
    }
  }
}
