package io.rehoboam.core.scan;

import java.util.List;

/** The descriptors behind {@link ScanEngine#strategies()}. */
final class Strategies {
  private Strategies() {}

  private static final List<StrategyParameter> COMMON =
      List.of(
          new StrategyParameter(
              "start_tokens",
              "string_list",
              "",
              "Token addresses an opportunity may start in, in priority order; empty = the native"
                  + " token (WETH)"),
          new StrategyParameter(
              "gas_price_wei", "integer", "0", "Gas price in wei of the native token"),
          new StrategyParameter(
              "gas_per_leg",
              "integer",
              Long.toString(ScanConfig.DEFAULT_GAS_PER_LEG),
              "Gas units per swap"),
          new StrategyParameter(
              "gas_per_tx",
              "integer",
              Long.toString(ScanConfig.DEFAULT_GAS_PER_TX),
              "Gas units per transaction on top of the swaps"),
          new StrategyParameter(
              "min_profit",
              "decimal",
              null,
              "Minimum net profit in the quote currency (USD); unset = no quote threshold"),
          new StrategyParameter(
              "min_profit_base_units",
              "integer",
              "1",
              "Minimum net profit in base units of the start token"),
          new StrategyParameter(
              "max_per_pair",
              "integer",
              Integer.toString(ScanConfig.DEFAULT_MAX_PER_PAIR),
              "Opportunities reported per token pair (cyclic: per start token and route): the best,"
                  + " then the next best sharing no pool with those before it"),
          new StrategyParameter(
              "ttl",
              "duration",
              ScanConfig.DEFAULT_TTL.toString(),
              "How long an opportunity stays valid after detection"));

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
              concat(
                  COMMON,
                  new StrategyParameter(
                      "max_cycle_length", "integer", "3", "Longest cycle searched: 3 or 4"))));

  private static List<StrategyParameter> concat(
      List<StrategyParameter> first, StrategyParameter extra) {
    java.util.ArrayList<StrategyParameter> all = new java.util.ArrayList<>(first);
    all.add(extra);
    return List.copyOf(all);
  }
}
