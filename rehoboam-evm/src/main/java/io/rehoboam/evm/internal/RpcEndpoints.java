package io.rehoboam.evm.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several JSON-RPC endpoints of one chain, in order of preference, with health checks: the active
 * endpoint is the first healthy one.
 *
 * <p>A check asks every endpoint that is due its head block ({@code eth_blockNumber}): healthy ones
 * every check, dropped ones when their backoff (doubling from {@code backoff_initial} to {@code
 * backoff_max}) has run out. The reference head is the highest block at least {@code quorum} of the
 * answering endpoints reached (with fewer answering, all of them). An endpoint that does not
 * answer, or whose head is more than {@code max_lag_blocks} behind the reference (lagging) or ahead
 * of it (a head no quorum confirms: a lying or forked node), is dropped; a later check that finds
 * it in line brings it back. Each endpoint's {@code eth_chainId} is asked once: one on another
 * chain than {@code chain_id} (else than the first endpoint's) stays dropped. With one endpoint
 * nothing is checked.
 *
 * <p>Threading: all methods are synchronized; {@link #check} blocks for the round trips.
 */
public final class RpcEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RpcEndpoints.class);

  /** What is known of one endpoint. */
  public record Status(String endpoint, boolean healthy, long head, String reason) {}

  private static final class Endpoint {
    final RpcClient client;
    final Backoff backoff;
    boolean healthy = true;
    long head = -1;
    long chain = -1;
    String reason = "";
    Instant retryAt = Instant.MIN;

    Endpoint(RpcClient client, Backoff backoff) {
      this.client = client;
      this.backoff = backoff;
    }
  }

  private final String sourceId;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final SourceConfig.Failover failover;
  private final Long configuredChain;
  private Instant lastCheck = Instant.MIN;

  public RpcEndpoints(String sourceId, SourceConfig config) {
    this.sourceId = sourceId;
    this.failover = config.failover();
    this.configuredChain = config.chainId();
    for (String url : config.endpoints()) {
      endpoints.add(
          new Endpoint(
              new RpcClient(url, config.requestTimeout(), config.batchSize()),
              new Backoff(config.backoffInitial(), config.backoffMax())));
    }
  }

  /** How many endpoints there are. */
  public int size() {
    return endpoints.size();
  }

  /** The first endpoint (the one the source's WebSocket, if any, belongs to). */
  public RpcClient primary() {
    return endpoints.get(0).client;
  }

  /** The endpoint to use: the first healthy one, else the first one. */
  public synchronized RpcClient active() {
    for (Endpoint e : endpoints) {
      if (e.healthy) {
        return e.client;
      }
    }
    return endpoints.get(0).client;
  }

  /** Whether a check is due at {@code now} (never with a single endpoint). */
  public synchronized boolean checkDue(Instant now) {
    return endpoints.size() > 1 && !now.isBefore(lastCheck.plus(failover.interval()));
  }

  /**
   * Checks the endpoints that are due at {@code now}, as the class comment says.
   *
   * @return the reference head, or -1 when no endpoint answered
   */
  public synchronized long check(Instant now) {
    lastCheck = now;
    List<Endpoint> answered = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (!e.healthy && now.isBefore(e.retryAt)) {
        continue;
      }
      try {
        if (e.chain < 0) {
          e.chain = e.client.chainId();
        }
        e.head = e.client.blockNumber();
      } catch (IOException | RuntimeException ex) {
        drop(e, now, "unreachable: " + message(ex));
        continue;
      }
      long expected = expectedChain();
      if (expected >= 0 && e.chain != expected) {
        drop(e, now, "on chain " + e.chain + ", not " + expected);
        continue;
      }
      answered.add(e);
    }
    if (answered.isEmpty()) {
      return -1;
    }
    List<Long> heads =
        answered.stream().map(e -> e.head).sorted(Comparator.reverseOrder()).toList();
    int q = Math.min(failover.quorum(), heads.size());
    long reference = heads.get(q - 1);
    for (Endpoint e : answered) {
      if (e.head < reference - failover.maxLagBlocks()) {
        drop(e, now, "lagging: head " + e.head + ", quorum head " + reference);
      } else if (e.head > reference + failover.maxLagBlocks()) {
        drop(
            e, now, "head " + e.head + " ahead of the quorum head " + reference + " (unconfirmed)");
      } else {
        if (!e.healthy) {
          log.info(
              "Source {}: endpoint {} is back (head {})", sourceId, e.client.endpoint(), e.head);
        }
        e.healthy = true;
        e.reason = "";
        e.backoff.reset();
      }
    }
    return reference;
  }

  /**
   * The chain every endpoint must be on: {@code chain_id} when configured, else the first
   * endpoint's (once it answered); -1 while unknown.
   */
  private long expectedChain() {
    return configuredChain != null ? configuredChain : endpoints.get(0).chain;
  }

  /** Drops {@code client} after a failed read; a later check may bring it back. */
  public synchronized void failed(RpcClient client, Instant now, String reason) {
    for (Endpoint e : endpoints) {
      if (e.client == client && endpoints.size() > 1) {
        drop(e, now, reason);
      }
    }
  }

  /** Whether an endpoint other than {@code client} is healthy. */
  public synchronized boolean hasOtherHealthy(RpcClient client) {
    return endpoints.stream().anyMatch(e -> e.healthy && e.client != client);
  }

  /** Each endpoint's state (scheme, host and port only). */
  public synchronized List<Status> status() {
    return endpoints.stream()
        .map(e -> new Status(e.client.endpoint(), e.healthy, e.head, e.reason))
        .toList();
  }

  private void drop(Endpoint e, Instant now, String reason) {
    Duration wait = e.backoff.next();
    if (e.healthy) {
      log.warn(
          "Source {}: endpoint {} dropped: {}; checked again in {} ms",
          sourceId,
          e.client.endpoint(),
          reason,
          wait.toMillis());
    }
    e.healthy = false;
    e.reason = reason;
    e.retryAt = now.plus(wait);
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public synchronized void close() {
    for (Endpoint e : endpoints) {
      e.client.close();
    }
  }
}
