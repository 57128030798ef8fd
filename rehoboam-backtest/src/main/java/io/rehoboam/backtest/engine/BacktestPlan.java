package io.rehoboam.backtest.engine;

import io.rehoboam.core.bots.BotSettings;
import io.rehoboam.core.bots.LiveMonitorProvider;
import io.rehoboam.core.bots.RealExecutorProvider;
import io.rehoboam.core.config.BotConfig;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.core.sim.PaperConfig;
import io.rehoboam.spi.Checks;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backtest runs, read from a service configuration: its {@code live_monitor} and {@code
 * real_executor} bots (every one, autostart or not), its executors (each replayed as a paper
 * executor with its paper settings), its risk limits, its sources (each must be in the recording),
 * and the latency between an update and the execution it triggers.
 *
 * @param sources the configured source ids, in order
 * @param executors each executor id and its paper settings, in order
 * @param defaultExecutor the executor bots use when they name none (null: none)
 * @param notes what of the configuration is not replayed, and why
 */
public record BacktestPlan(
    List<String> sources,
    List<Monitor> monitors,
    List<Executor> executorBots,
    Map<String, PaperConfig> executors,
    String defaultExecutor,
    RiskLimits risk,
    Duration latency,
    List<String> notes) {

  /** A {@code live_monitor} bot. */
  public record Monitor(String botId, BotSettings.Monitor settings) {}

  /** A {@code real_executor} bot. */
  public record Executor(String botId, BotSettings.Executor settings) {}

  public BacktestPlan {
    sources = List.copyOf(sources);
    monitors = List.copyOf(monitors);
    executorBots = List.copyOf(executorBots);
    executors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(executors));
    Checks.notNull(risk, "risk");
    Checks.notNull(latency, "latency");
    Checks.check(!latency.isNegative(), "latency", "must not be negative");
    notes = List.copyOf(notes);
  }

  /**
   * Reads the plan of a configuration.
   *
   * @throws RehoboamException INVALID_CONFIG naming the file, section and field that is wrong
   */
  public static BacktestPlan from(RehoboamConfig config, Duration latency) {
    List<String> notes = new ArrayList<>();
    List<String> sources = new ArrayList<>(config.sources().names());
    Map<String, PaperConfig> executors = new LinkedHashMap<>();
    String defaultExecutor = null;
    for (String id : config.executors().names()) {
      Settings section = config.executors().section(id);
      String where = config.source() + ": executors." + id;
      String type = section.string("type", "");
      Settings settings = section.without("type").without("default");
      if (section.bool("default", false)) {
        defaultExecutor = id;
      }
      try {
        if (type.equals("paper")) {
          executors.put(id, PaperConfig.fromSettings(settings));
        } else {
          executors.put(id, PaperConfig.defaults());
          notes.add(
              "executor "
                  + id
                  + " (type "
                  + type
                  + ") is replayed as a paper executor with the default paper settings");
        }
      } catch (RehoboamException e) {
        throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + "." + e.getMessage(), e);
      }
    }
    if (defaultExecutor == null && executors.size() == 1) {
      defaultExecutor = executors.keySet().iterator().next();
    }
    List<Monitor> monitors = new ArrayList<>();
    List<Executor> executorBots = new ArrayList<>();
    for (BotConfig bot : config.bots()) {
      String where = config.source() + ": bots." + bot.id() + ".settings.";
      try {
        if (bot.type().equals(LiveMonitorProvider.TYPE)) {
          BotSettings.Monitor m = BotSettings.liveMonitor(bot.settings());
          for (String source : m.sources()) {
            if (!sources.contains(source)) {
              throw RehoboamException.invalid(
                  "sources", "no market source with id '" + source + "' (known: " + sources + ")");
            }
          }
          monitors.add(new Monitor(bot.id(), m));
        } else if (bot.type().equals(RealExecutorProvider.TYPE)) {
          BotSettings.Executor e = BotSettings.realExecutor(bot.settings());
          if (e.executor() != null && !executors.containsKey(e.executor())) {
            throw RehoboamException.invalid(
                "executor",
                "no executor with id '" + e.executor() + "' (known: " + executors.keySet() + ")");
          }
          executorBots.add(new Executor(bot.id(), e));
        } else {
          notes.add("bot " + bot.id() + " (type " + bot.type() + ") is not replayed");
        }
      } catch (RehoboamException e) {
        throw new RehoboamException(ErrorCode.INVALID_CONFIG, where + e.getMessage(), e);
      }
    }
    if (monitors.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          config.source() + ": bots: a backtest needs at least one live_monitor bot");
    }
    if (!executorBots.isEmpty() && executors.isEmpty()) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          config.source() + ": executors: the real_executor bots need an executor (type paper)");
    }
    RiskLimits risk = RiskLimits.from(config.risk(), config.source());
    return new BacktestPlan(
        sources, monitors, executorBots, executors, defaultExecutor, risk, latency, notes);
  }
}
