package io.rehoboam.backtest.recording;

import io.rehoboam.spi.Checks;
import io.rehoboam.spi.market.BlockHistory;
import io.rehoboam.spi.market.MarketSource;
import io.rehoboam.spi.market.PoolUpdate;
import io.rehoboam.spi.market.Token;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Records a past range of blocks of a source that can read them ({@link BlockHistory}) into a
 * {@link RecordingWriter}: the same records a {@link MarketRecorder} writes while following those
 * blocks live (the tokens in address order with their prices, then the updates), each update at the
 * time of its block.
 */
public final class BlockRangeRecorder {
  private final MarketSource source;
  private final BlockHistory history;
  private final String type;
  private final RecordingWriter writer;

  /**
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT when the source cannot read past
   *     blocks
   */
  public BlockRangeRecorder(MarketSource source, String type, RecordingWriter writer) {
    this.source = Checks.notNull(source, "source");
    this.type = Checks.notBlank(type, "type");
    this.writer = Checks.notNull(writer, "writer");
    if (!(source instanceof BlockHistory h)) {
      throw io.rehoboam.spi.RehoboamException.invalid(
          "source",
          "source "
              + source.id()
              + " (type "
              + type
              + ") cannot read past blocks; record it live (--duration)");
    }
    this.history = h;
  }

  /**
   * Records blocks {@code fromBlock..toBlock}; returns the updates recorded.
   *
   * @param progress told the updates recorded so far (every 1000 and at the end); may be null
   */
  public long record(long fromBlock, long toBlock, LongConsumer progress) {
    int index = writer.source(source.id(), type);
    long[] updates = {0};
    history.readBlocks(
        fromBlock,
        toBlock,
        new BlockHistory.Listener() {
          @Override
          public void tokens(Map<String, Token> tokens) {
            List<Token> sorted = List.copyOf(new TreeMap<>(tokens).values());
            for (Token token : sorted) {
              writer.token(index, token);
            }
            for (Token token : sorted) {
              BigDecimal price = source.quotePrice(token.address()).orElse(null);
              writer.price(index, token.address(), price);
            }
          }

          @Override
          public void update(PoolUpdate update, Instant blockTime) {
            writer.update(index, update, blockTime);
            updates[0]++;
            if (progress != null && updates[0] % 1000 == 0) {
              progress.accept(updates[0]);
            }
          }
        });
    writer.flush();
    if (progress != null) {
      progress.accept(updates[0]);
    }
    return updates[0];
  }
}
