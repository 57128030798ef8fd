package io.rehoboam.evm;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.evm.internal.ExecutorConfig;
import io.rehoboam.evm.internal.RelayClient;
import io.rehoboam.evm.internal.RpcClient;
import io.rehoboam.spi.ProviderContext;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * One signed transaction offered as a bundle until it is included or given up: simulated with
 * {@code eth_callBundle}, sent with {@code eth_sendBundle} to every relay for each of the next
 * {@code bundle_blocks} blocks, then followed block by block. Included = its receipt exists. When
 * the last target block is mined without it, it is offered again for the next blocks ({@code
 * on_not_included: retry}, at most {@code bundle_retries} more windows, re-simulated first) or
 * given up. Always the same signed transaction: a bundle can land only in a block it targets, so
 * once the window has passed nothing of it is left to land, and the next transaction of the account
 * takes the same nonce (at most one of them can ever be mined).
 */
final class BundleSubmission {
  private static final Logger log = LoggerFactory.getLogger(BundleSubmission.class);

  /** How a submission ended. */
  sealed interface Outcome {}

  /** Mined: the receipt. */
  record Included(TransactionReceipt receipt) implements Outcome {}

  /** Refused before anything was sent (the simulation reverted): nothing can land. */
  record Refused(String reason) implements Outcome {}

  /** Sent but not included, and given up (or no relay took it): nothing can land any more. */
  record NotIncluded(String reason) implements Outcome {}

  private final String executorId;
  private final ExecutorConfig config;
  private final ProviderContext context;
  private final RpcClient rpc;
  private final List<RelayClient> relays;
  private final String account;
  private final String signed;
  private final String hash;
  private final BigInteger nonce;
  private final BooleanSupplier closed;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private int windows;
  private long lastTarget;

  BundleSubmission(
      String executorId,
      ExecutorConfig config,
      ProviderContext context,
      RpcClient rpc,
      List<RelayClient> relays,
      String account,
      String signed,
      String hash,
      BigInteger nonce,
      BooleanSupplier closed) {
    this.executorId = executorId;
    this.config = config;
    this.context = context;
    this.rpc = rpc;
    this.relays = relays;
    this.account = account;
    this.signed = signed;
    this.hash = hash;
    this.nonce = nonce;
    this.closed = closed;
  }

  /** Simulates and sends the first window; the stage completes with how it ended. */
  CompletableFuture<Outcome> start() {
    try {
      long head = rpc.blockNumber();
      String revert = simulate(head + 1);
      if (revert != null) {
        outcome.complete(new Refused("bundle simulation reverted: " + revert));
        return outcome;
      }
      String refused = send(head + 1);
      if (refused != null) {
        outcome.complete(new NotIncluded("no relay accepted the bundle: " + refused));
        return outcome;
      }
      schedule();
    } catch (IOException | RuntimeException e) {
      outcome.completeExceptionally(e);
    }
    return outcome;
  }

  /**
   * eth_callBundle at the first relay that answers; the revert reason, or null when it succeeds.
   *
   * @throws IOException when no relay could simulate
   */
  private String simulate(long target) throws IOException {
    List<String> problems = new ArrayList<>();
    for (RelayClient relay : relays) {
      RelayClient.Reply reply;
      try {
        reply = relay.callBundle(List.of(signed), target);
      } catch (IOException e) {
        problems.add(relay.endpoint() + " unreachable: " + e.getMessage());
        continue;
      }
      if (!reply.ok()) {
        problems.add(reply.error());
        continue;
      }
      return revertOf(reply.result());
    }
    throw new IOException("bundle simulation failed: " + String.join("; ", problems));
  }

  /** The first revert or error a simulation reports, or null. */
  static String revertOf(JsonNode result) {
    for (JsonNode tx : result.path("results")) {
      for (String field : List.of("revert", "error")) {
        JsonNode v = tx.get(field);
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
          return v.asText();
        }
      }
    }
    return null;
  }

  /** eth_sendBundle for every block of the window at every relay; null when one accepted. */
  private String send(long firstTarget) {
    windows++;
    lastTarget = firstTarget + config.bundleBlocks - 1;
    int accepted = 0;
    List<String> problems = new ArrayList<>();
    for (RelayClient relay : relays) {
      for (long target = firstTarget; target <= lastTarget; target++) {
        try {
          RelayClient.Reply reply = relay.sendBundle(List.of(signed), target);
          if (reply.ok()) {
            accepted++;
          } else {
            problems.add(reply.error());
          }
        } catch (IOException e) {
          problems.add(relay.endpoint() + " unreachable: " + e.getMessage());
        }
      }
    }
    log.info(
        "Executor {}: bundle of {} sent for blocks {}..{} ({} of {} offers accepted)",
        executorId,
        hash,
        firstTarget,
        lastTarget,
        accepted,
        relays.size() * config.bundleBlocks);
    return accepted > 0 ? null : String.join("; ", problems);
  }

  private void schedule() {
    try {
      context
          .scheduler()
          .schedule(
              () -> context.blockingExecutor().execute(this::follow),
              config.receiptPollInterval.toNanos(),
              TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
    }
  }

  /** One look at the chain: included, still in its window, or past it. */
  private void follow() {
    if (closed.getAsBoolean()) {
      outcome.completeExceptionally(
          new IllegalStateException(
              "executor closed while bundle "
                  + hash
                  + " was pending (blocks up to "
                  + lastTarget
                  + ")"));
      return;
    }
    try {
      // The head first: with no receipt after it, the transaction is in no block up to the head.
      long head = rpc.blockNumber();
      var answer = rpc.web3j().ethGetTransactionReceipt(hash).send();
      if (!answer.hasError() && answer.getTransactionReceipt().isPresent()) {
        outcome.complete(new Included(answer.getTransactionReceipt().get()));
        return;
      }
      if (head < lastTarget) {
        schedule();
        return;
      }
      String missed = "not included in blocks up to " + lastTarget;
      BigInteger mined =
          rpc.web3j()
              .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
              .send()
              .getTransactionCount();
      if (mined.compareTo(nonce) > 0) {
        outcome.complete(
            new NotIncluded(missed + ": nonce " + nonce + " was taken by another transaction"));
        return;
      }
      if (!config.retryNotIncluded) {
        outcome.complete(new NotIncluded(missed + "; dropped (on_not_included: drop)"));
        return;
      }
      if (windows > config.bundleRetries) {
        outcome.complete(
            new NotIncluded(
                missed + "; dropped after " + config.bundleRetries + " retries (bundle_retries)"));
        return;
      }
      String revert;
      try {
        revert = simulate(head + 1);
      } catch (IOException e) {
        // Its blocks have passed, so nothing of it can land: giving up is safe.
        outcome.complete(new NotIncluded(missed + "; dropped: " + e.getMessage()));
        return;
      }
      if (revert != null) {
        outcome.complete(
            new NotIncluded(missed + "; dropped: the bundle now reverts in simulation: " + revert));
        return;
      }
      String refused = send(head + 1);
      if (refused != null) {
        outcome.complete(new NotIncluded(missed + "; no relay accepted the retry: " + refused));
        return;
      }
      schedule();
    } catch (IOException e) {
      log.debug(
          "Executor {}: bundle {} not followed this time: {}", executorId, hash, e.toString());
      schedule();
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
    }
  }
}
