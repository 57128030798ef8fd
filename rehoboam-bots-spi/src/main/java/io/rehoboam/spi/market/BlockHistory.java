package io.rehoboam.spi.market;

import java.time.Instant;
import java.util.Map;

/**
 * A market source that can also read a past range of blocks of its chain after the fact (the {@code
 * evm} source does, from {@code Sync} logs fetched by {@code eth_getLogs} and the reserves at the
 * range's first block). What it delivers is what the source would have delivered had it followed
 * those blocks live: the same updates, tagged with the same blocks, with the same reserves.
 */
public interface BlockHistory {

  /** What {@link #readBlocks} delivers, in this order: the tokens once, then the updates. */
  interface Listener {
    /** The source's tokens (by address), before any update. */
    void tokens(Map<String, Token> tokens);

    /** An update (its sequence is its block) and the time of its block. */
    void update(PoolUpdate update, Instant blockTime);
  }

  /**
   * Reads blocks {@code fromBlock..toBlock} (inclusive) on the calling thread: first an {@code
   * ADDED} update of every pool with its reserves at {@code fromBlock} (sequence {@code
   * fromBlock}), then, in block and log order, a {@code RESERVES} update for every later change of
   * a pool's reserves (sequence its block).
   *
   * @throws io.rehoboam.spi.RehoboamException INVALID_ARGUMENT for a range that is empty, negative
   *     or beyond the chain's head (naming {@code from_block} or {@code to_block}); INTERNAL when
   *     the node cannot be read (the message says why)
   */
  void readBlocks(long fromBlock, long toBlock, Listener listener);
}
