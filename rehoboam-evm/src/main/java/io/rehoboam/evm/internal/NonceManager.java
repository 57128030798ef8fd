package io.rehoboam.evm.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Nonces of one account, for concurrent senders.
 *
 * <p>A send takes the lock, uses the next nonce, and only when the node accepted the transaction
 * moves the local nonce on. A rejected send (or one whose answer was lost) forgets the local nonce,
 * and the next send asks the node for the account's pending count again, so the local nonce is
 * never ahead of the chain and no gap can strand later transactions. Holding the lock across the
 * send serializes sends of one account (a few milliseconds each); waiting for receipts happens
 * outside it.
 */
public final class NonceManager {
  /** Reads the account's pending transaction count from the node. */
  @FunctionalInterface
  public interface PendingCount {
    BigInteger read() throws IOException;
  }

  /** Signs and sends with a nonce; returns the node's answer. */
  @FunctionalInterface
  public interface Send<T> {
    Outcome<T> send(BigInteger nonce) throws IOException;
  }

  /** What the node said: accepted with a value, or rejected with its message. */
  public record Outcome<T>(T value, String rejection) {
    public static <T> Outcome<T> accepted(T value) {
      return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> rejected(String message) {
      return new Outcome<>(null, message);
    }

    public boolean isAccepted() {
      return rejection == null;
    }
  }

  private final PendingCount pendingCount;
  private final ReentrantLock lock = new ReentrantLock();
  private BigInteger next;

  public NonceManager(PendingCount pendingCount) {
    this.pendingCount = pendingCount;
  }

  /**
   * Sends with the next nonce. A rejection for a nonce the node already saw ("nonce too low",
   * "already known": someone else used this key) re-reads the count and tries once more.
   */
  public <T> Outcome<T> send(Send<T> send) throws IOException {
    lock.lock();
    try {
      Outcome<T> outcome = attempt(send);
      if (!outcome.isAccepted() && isStaleNonce(outcome.rejection())) {
        outcome = attempt(send);
      }
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  private <T> Outcome<T> attempt(Send<T> send) throws IOException {
    if (next == null) {
      next = pendingCount.read();
    }
    BigInteger nonce = next;
    Outcome<T> outcome;
    try {
      outcome = send.send(nonce);
    } catch (IOException | RuntimeException e) {
      next = null; // the node may or may not have it: ask again next time
      throw e;
    }
    if (outcome.isAccepted()) {
      next = nonce.add(BigInteger.ONE);
    } else {
      next = null;
    }
    return outcome;
  }

  private static boolean isStaleNonce(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("nonce too low") || m.contains("already known");
  }

  /** The nonce the next send will use, or null when it will be read from the node. */
  public BigInteger peek() {
    lock.lock();
    try {
      return next;
    } finally {
      lock.unlock();
    }
  }
}
