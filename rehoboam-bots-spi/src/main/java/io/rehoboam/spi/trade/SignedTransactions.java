package io.rehoboam.spi.trade;

import java.math.BigInteger;

/**
 * Where a live executor reports each transaction it signed, before it broadcasts it (the engine
 * writes it to its journal). The call returns once the record is durable; when it throws, the
 * executor must not broadcast.
 */
@FunctionalInterface
public interface SignedTransactions {
  void signed(String executionId, BigInteger nonce, String txHash);
}
