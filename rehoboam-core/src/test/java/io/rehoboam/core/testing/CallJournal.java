package io.rehoboam.core.testing;

import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.journal.ExecutionAttempt;
import io.rehoboam.core.journal.Journal;
import io.rehoboam.core.journal.JournalState;
import io.rehoboam.spi.event.BotState;
import io.rehoboam.spi.trade.Execution;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A journal that keeps nothing but the list of calls made to it, for tests. */
public final class CallJournal implements Journal {
  public final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public String location() {
    return "memory";
  }

  @Override
  public JournalState load() {
    calls.add("load");
    return JournalState.empty();
  }

  @Override
  public void begin(ExecutionAttempt attempt) {
    calls.add("begin " + attempt.opportunityId());
  }

  @Override
  public void transactionSigned(String executionId, BigInteger nonce, String txHash) {
    calls.add("signed " + txHash);
  }

  @Override
  public void update(Execution execution) {
    calls.add("update " + execution.opportunityId() + " " + execution.status());
  }

  @Override
  public void desiredState(String botId, BotState desired) {
    calls.add("desired " + botId + " " + desired);
  }

  @Override
  public void registered(BotRegistration registration) {
    calls.add("registered " + registration.id());
  }

  @Override
  public void unregistered(String botId) {
    calls.add("unregistered " + botId);
  }

  @Override
  public void botSettings(String botId, io.rehoboam.spi.Settings settings) {
    calls.add("botSettings " + botId + " " + settings.names());
  }

  @Override
  public void close() {
    calls.add("close");
  }
}
