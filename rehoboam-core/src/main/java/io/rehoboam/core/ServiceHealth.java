package io.rehoboam.core;

import java.util.Map;

/**
 * The service's own health, beyond its bots and market sources.
 *
 * @param live false once the service can no longer do its work and only a restart repairs it (an
 *     {@link OutOfMemoryError}, an event delivery thread that died): a liveness probe should fail
 * @param problems what is wrong, by component ({@code journal}, {@code memory}, {@code events}),
 *     each with a message saying why; empty when all is well
 */
public record ServiceHealth(boolean live, Map<String, String> problems) {
  public ServiceHealth {
    problems = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(problems));
  }

  /** Whether nothing is wrong. */
  public boolean ok() {
    return live && problems.isEmpty();
  }
}
