package io.rehoboam.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.json.RehoboamJson;
import io.rehoboam.spi.event.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The adapter's JSON: the contract's mapping ({@link RehoboamJson}) plus the event envelope ({@code
 * seq}, {@code type}, {@code at}, {@code bot_id} first, then the event's own fields) and durations
 * as ISO-8601 text (the monitoring snapshot's {@code uptime}). Reading refuses a key given twice in
 * one object.
 */
public final class Json {
  private static final Set<String> ENVELOPE = Set.of("seq", "type", "at", "bot_id");

  private static final ObjectMapper MAPPER = build();

  private Json() {}

  /** Thread-safe; do not reconfigure. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper build() {
    SimpleModule adapter = new SimpleModule("rehoboam-http");
    adapter.addSerializer(Duration.class, new DurationIso());
    ObjectMapper mapper = RehoboamJson.newMapper();
    mapper.registerModule(adapter);
    // A key given twice is an error, not "the last one wins": {"dry_run": true, "dry_run": false}
    // must not execute for real.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /** Writes any value (records of the contract, maps, lists) as JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** An event as the contract shows it. */
  public static ObjectNode event(Event event) {
    JsonNode fields = MAPPER.valueToTree(event);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("seq", event.seq());
    out.put("type", event.type());
    out.set("at", fields.get("at"));
    out.put("bot_id", event.botId());
    Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!ENVELOPE.contains(field.getKey())) {
        out.set(field.getKey(), field.getValue());
      }
    }
    return out;
  }

  private static final class DurationIso extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }
}
