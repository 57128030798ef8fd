package io.rehoboam.journal.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.BotRegistration;
import io.rehoboam.core.RestartPolicy;
import io.rehoboam.core.schedule.Schedule;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.time.Duration;
import java.util.Map;

/** A bot registration as JSON, for the journal. */
public final class Registrations {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Registrations() {}

  public static String toJson(BotRegistration r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", r.id());
    n.put("type", r.type());
    n.put("name", r.name());
    n.put("autostart", r.autostart());
    RestartPolicy p = r.restart();
    ObjectNode restart = n.putObject("restart");
    restart.put("policy", p.mode().name());
    restart.put("max_retries", p.maxRetries());
    restart.put("backoff_initial", p.initialBackoff().toString());
    restart.put("backoff_max", p.maxBackoff().toString());
    restart.put("backoff_multiplier", p.multiplier());
    restart.put("jitter", p.jitter());
    restart.put("start_seconds", p.startSeconds().toString());
    restart.put("heartbeat_timeout", p.heartbeatTimeout().toString());
    restart.put("start_timeout", p.startTimeout().toString());
    restart.put("stop_timeout", p.stopTimeout().toString());
    restart.put("failure_window", p.failureWindow().toString());
    n.set("settings", MAPPER.valueToTree(r.settings().asMap()));
    if (r.schedule() != null) {
      n.set("schedule", MAPPER.valueToTree(r.schedule().toMap()));
    }
    return n.toString();
  }

  public static BotRegistration fromJson(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      JsonNode p = n.get("restart");
      RestartPolicy restart =
          new RestartPolicy(
              RestartPolicy.Mode.valueOf(p.get("policy").asText()),
              p.get("max_retries").asInt(),
              Duration.parse(p.get("backoff_initial").asText()),
              Duration.parse(p.get("backoff_max").asText()),
              p.get("backoff_multiplier").asDouble(),
              p.get("jitter").asDouble(),
              Duration.parse(p.get("start_seconds").asText()),
              Duration.parse(p.get("heartbeat_timeout").asText()),
              Duration.parse(p.get("start_timeout").asText()),
              Duration.parse(p.get("stop_timeout").asText()),
              p.has("failure_window")
                  ? Duration.parse(p.get("failure_window").asText())
                  : RestartPolicy.DEFAULT_FAILURE_WINDOW);
      Map<String, Object> settings =
          MAPPER.convertValue(n.get("settings"), new TypeReference<Map<String, Object>>() {});
      return new BotRegistration(
          n.get("id").asText(),
          n.get("type").asText(),
          n.get("name").asText(),
          n.get("autostart").asBoolean(),
          restart,
          Settings.of(settings),
          n.hasNonNull("schedule")
              ? Schedule.parse(
                  MAPPER.convertValue(
                      n.get("schedule"), new TypeReference<Map<String, Object>>() {}),
                  "schedule")
              : null);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG, "journal: unreadable bot registration: " + e.getMessage(), e);
    }
  }
}
