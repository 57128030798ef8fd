package io.rehoboam.backtest.engine;

import io.rehoboam.spi.trade.Opportunity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps everything a backtest told: opportunities, executions, outcomes, risk rejections. */
public final class BacktestRecorder implements BacktestListener {
  private final List<Opportunity> opportunities = new ArrayList<>();
  private final List<ExecutionRecord> executions = new ArrayList<>();
  private final List<RiskRejection> rejections = new ArrayList<>();
  private final Map<String, Map<Outcome, Long>> outcomes = new LinkedHashMap<>();

  @Override
  public void found(String botId, Opportunity opportunity) {
    opportunities.add(opportunity);
  }

  @Override
  public void outcome(String botId, Opportunity opportunity, Outcome outcome) {
    outcomes
        .computeIfAbsent(botId, k -> new EnumMap<>(Outcome.class))
        .merge(outcome, 1L, Long::sum);
  }

  @Override
  public void executed(ExecutionRecord record) {
    executions.add(record);
  }

  @Override
  public void rejected(RiskRejection rejection) {
    rejections.add(rejection);
  }

  /** Every published opportunity, in publishing order. */
  public List<Opportunity> opportunities() {
    return opportunities;
  }

  /** Every execution, in order. */
  public List<ExecutionRecord> executions() {
    return executions;
  }

  public List<RiskRejection> rejections() {
    return rejections;
  }

  /** Per executor bot: how many of its opportunities came to each outcome. */
  public Map<String, Map<Outcome, Long>> outcomes() {
    return outcomes;
  }
}
