package io.rehoboam.core.scan;

import java.util.List;

/** The descriptors behind {@link ScanEngine#strategies()}. */
final class Strategies {
  private Strategies() {}

  private static final List<StrategyParameter> COMMON =
      StrategySettings.COMMON.stream().map(StrategyParameter::of).toList();

  static final List<StrategyDescriptor> ALL =
      List.of(
          new StrategyDescriptor(
              ScanStrategy.CROSS_VENUE.id(),
              "Cross-venue",
              "The same token pair on two pools (two venues, or two pools of one venue): buy where"
                  + " it is cheap, sell where it is dear. Sized in closed form with both fees and"
                  + " confirmed with Uniswap's integer formula.",
              COMMON),
          new StrategyDescriptor(
              ScanStrategy.CYCLIC.id(),
              "Cyclic",
              "Cycles of 3 (or 4) pools through a start token, folded into virtual reserves and"
                  + " sized in closed form, confirmed with Uniswap's integer formula.",
              concat(COMMON, StrategyParameter.of(StrategySettings.MAX_CYCLE_LENGTH))));

  private static List<StrategyParameter> concat(
      List<StrategyParameter> first, StrategyParameter extra) {
    java.util.ArrayList<StrategyParameter> all = new java.util.ArrayList<>(first);
    all.add(extra);
    return List.copyOf(all);
  }
}
