package io.rehoboam.core.scan;

import java.util.List;

/**
 * Implemented by a bot provider whose bots find opportunities of strategies of their own (the
 * {@code layer2} bot's {@code cross_layer}), so that {@code ArbitrageService.strategies()} lists
 * them beside the scan engine's.
 */
public interface StrategyOffer {
  /** The strategies this provider's bots publish opportunities of. */
  List<StrategyDescriptor> strategies();
}
