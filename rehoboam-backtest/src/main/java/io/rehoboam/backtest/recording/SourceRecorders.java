package io.rehoboam.backtest.recording;

import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.config.RehoboamConfig;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code record} setting of a market source in a service configuration: {@code record: DIR}
 * records the source, while the service runs, into a new file {@code DIR/<source id>-<UTC
 * yyyyMMdd-HHmmss>.rrec}. The providers never see the setting: {@link #withoutRecordSettings}
 * removes it before the service is built, {@link #start} attaches the recorders once it runs.
 */
public final class SourceRecorders implements AutoCloseable {
  /** The source setting naming the directory to record into. */
  public static final String SETTING = "record";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final List<MarketRecorder> recorders;
  private final List<RecordingWriter> writers;

  private SourceRecorders(List<MarketRecorder> recorders, List<RecordingWriter> writers) {
    this.recorders = recorders;
    this.writers = writers;
  }

  /** The configuration without any source's {@code record} setting. */
  public static RehoboamConfig withoutRecordSettings(RehoboamConfig config) {
    Map<String, Object> sources = new LinkedHashMap<>(config.sources().asMap());
    boolean changed = false;
    for (String id : config.sources().names()) {
      Settings section = config.sources().section(id);
      if (section.has(SETTING)) {
        sources.put(id, section.without(SETTING).asMap());
        changed = true;
      }
    }
    if (!changed) {
      return config;
    }
    return new RehoboamConfig(
        config.source(),
        config.bots(),
        Settings.of(sources),
        config.executors(),
        config.risk(),
        config.server(),
        config.quote());
  }

  /**
   * Starts recording every source of {@code config} that has a {@code record} setting, from the
   * running {@code service}.
   *
   * @throws RehoboamException INVALID_CONFIG naming the source when its directory cannot be used
   */
  public static SourceRecorders start(
      RehoboamConfig config, ArbitrageService service, Clock clock) {
    List<MarketRecorder> recorders = new ArrayList<>();
    List<RecordingWriter> writers = new ArrayList<>();
    try {
      for (String id : config.sources().names()) {
        Settings section = config.sources().section(id);
        if (!section.has(SETTING)) {
          continue;
        }
        String dir = section.string(SETTING).map(String::trim).orElse("");
        if (dir.isEmpty()) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              config.source() + ": sources." + id + ".record: must name a directory");
        }
        Path file = Path.of(dir).resolve(id + "-" + STAMP.format(clock.instant()) + ".rrec");
        RecordingWriter writer;
        try {
          writer = RecordingWriter.create(file);
        } catch (RehoboamException e) {
          throw new RehoboamException(
              ErrorCode.INVALID_CONFIG,
              config.source() + ": sources." + id + ".record: " + e.getMessage(),
              e);
        }
        writers.add(writer);
        recorders.add(
            new MarketRecorder(
                    service.marketSource(id), section.string("type", "unknown"), writer, clock)
                .start());
      }
    } catch (RuntimeException e) {
      new SourceRecorders(recorders, writers).close();
      throw e;
    }
    return new SourceRecorders(recorders, writers);
  }

  /** The files being recorded into. */
  public List<Path> files() {
    return writers.stream().map(RecordingWriter::file).toList();
  }

  /** Stops the recorders and closes the files (each then ends with its END record). */
  @Override
  public void close() {
    for (MarketRecorder r : recorders) {
      r.close();
    }
    for (RecordingWriter w : writers) {
      w.close();
    }
  }
}
