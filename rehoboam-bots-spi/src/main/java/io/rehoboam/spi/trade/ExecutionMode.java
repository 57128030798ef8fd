package io.rehoboam.spi.trade;

/** Paper executions are simulated against the market state; live ones send transactions. */
public enum ExecutionMode {
  PAPER,
  LIVE
}
