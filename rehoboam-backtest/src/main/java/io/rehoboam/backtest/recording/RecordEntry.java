package io.rehoboam.backtest.recording;

import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.time.Instant;

/** One record of a recording, as {@link RecordingReader#next()} returns it. */
public sealed interface RecordEntry {

  /** The index of the source the record belongs to (order of first appearance). */
  int source();

  /** A source: its id and type ({@code sim}, {@code evm}, ...). */
  record SourceEntry(int source, String id, String type) implements RecordEntry {}

  /** A token a source knows. */
  record TokenEntry(int source, Token token) implements RecordEntry {}

  /** A token's quote price from this point on; null when the source knows none. */
  record PriceEntry(int source, String token, BigDecimal price) implements RecordEntry {}

  /** A pool update and when it arrived. */
  record UpdateEntry(int source, PoolUpdate update, Instant at) implements RecordEntry {}
}
