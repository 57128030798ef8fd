package io.rehoboam.core.journal;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import java.math.BigInteger;

/**
 * A durable record of what the service did, written ahead of what it protects. Every method returns
 * only once its write is committed durably; a method that cannot commit throws a {@link
 * io.rehoboam.spi.RehoboamException} (code {@code INTERNAL}) and the caller must not go on with the
 * action the write protects.
 *
 * <p>Threading: every method may be called from any thread; implementations serialize writes.
 */
public interface Journal extends AutoCloseable {

  /** Where the journal lives, for messages (a file path or a JDBC URL without credentials). */
  String location();

  /** Reads everything back; called once at start-up, before any write. */
  JournalState load();

  /**
   * Records an attempt before the executor is called. Fails with {@code ALREADY_EXECUTED} when the
   * opportunity id or the idempotency key is already journalled.
   */
  void begin(ExecutionAttempt attempt);

  /**
   * Records the transaction an execution signed, before it is broadcast.
   *
   * @param nonce the transaction's nonce
   * @param txHash its hash
   */
  void transactionSigned(String executionId, BigInteger nonce, String txHash);

  /** Records a status change or the result of a journalled execution. */
  void update(Execution execution);

  /** Records a bot's desired state as set by a user (RUNNING or STOPPED). */
  void desiredState(String botId, BotState desired);

  /**
   * Records a bot's desired state as set by a user or its schedule at {@code at}, so a restart
   * knows whether a manual start or stop still holds against the schedule. A journal that keeps no
   * time records the state alone.
   */
  default void desiredState(String botId, BotState desired, java.time.Instant at) {
    desiredState(botId, desired);
  }

  /** Records a bot registered at run time, so it is registered again after a restart. */
  void registered(BotRegistration registration);

  /** Forgets a run-time registration and the bot's desired state. */
  void unregistered(String botId);

  /**
   * Proves the storage takes writes again after a failure: one durable write that changes nothing
   * the service reads (a journal may count it). Throws as any write when it cannot. The default
   * writes nothing and succeeds; a journal that can fail should override it, or the service
   * believes it recovered as soon as it asks.
   */
  default void check() {}

  /**
   * Records what an operator changed in the risk policy at run time (limits, kill switch), so a
   * restart keeps it. The default keeps nothing (a journal that predates run-time risk control).
   */
  default void riskControl(io.rehoboam.core.risk.RiskControl control) {}

  /** The risk control last recorded, or null when none was; called once at start-up. */
  default io.rehoboam.core.risk.RiskControl loadRiskControl() {
    return null;
  }

  /**
   * Records a bot's settings as changed by an operator (secrets left out), so a restart runs it
   * with them, configured bot or not. The default keeps nothing.
   */
  default void botSettings(String botId, io.rehoboam.spi.Settings settings) {}

  /** The settings last recorded per bot id; called once at start-up. */
  default java.util.Map<String, io.rehoboam.spi.Settings> loadBotSettings() {
    return java.util.Map.of();
  }

  /** Releases the storage; idempotent. */
  @Override
  void close();
}
