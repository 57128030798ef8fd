package io.rehoboam.backtest.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A backtest submitted to {@link BacktestJobs}, as it is now.
 *
 * @param id the job's id ({@code bt-<n>})
 * @param state {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param recording the recording's file name in the recordings directory
 * @param latencyMs the modelled latency between an update and the execution it led to
 * @param progress the share of the recording replayed, 0..1 (1 when done)
 * @param updatesProcessed pool updates replayed so far
 * @param submittedAt when it was accepted
 * @param startedAt when it started replaying; null while queued
 * @param finishedAt when it ended; null before
 * @param notes what the report notes (a truncated recording, bots not replayed, ...)
 * @param error why it failed; null unless failed
 * @param report the JSON report once done; null before
 */
public record BacktestJob(
    String id,
    String state,
    String recording,
    long latencyMs,
    double progress,
    long updatesProcessed,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    List<String> notes,
    Error error,
    JsonNode report) {

  /** The states, as the wire names them. */
  public static final String QUEUED = "queued";

  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  /** Why a backtest failed: the error code and a message for people. */
  public record Error(String code, String message) {}
}
