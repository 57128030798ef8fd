package io.rehoboam.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The JSON mapping of the data contract, shared by the scan command and the HTTP adapter.
 *
 * <p>Records map with snake_case property names; {@link BigInteger} amounts are JSON strings of
 * decimal digits (and read back from strings or numbers); {@link BigDecimal} quote values are plain
 * JSON numbers (never exponent notation); {@link Instant}s are ISO-8601 UTC strings; enums are
 * their lower-case names; null fields are written as {@code null}.
 */
public final class RehoboamJson {
  private static final ObjectMapper MAPPER = build();

  private RehoboamJson() {}

  /**
   * The shared mapper. Thread-safe once configured; do not reconfigure it (use {@link #newMapper()}
   * for a private copy).
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A fresh mapper with the contract's configuration, for callers that need to customize it. */
  public static ObjectMapper newMapper() {
    return build();
  }

  private static ObjectMapper build() {
    SimpleModule contract = new SimpleModule("rehoboam-contract");
    contract.addSerializer(BigInteger.class, new BigIntegerAsString());
    contract.addDeserializer(BigInteger.class, new BigIntegerFromStringOrNumber());
    contract.addSerializer(Instant.class, new InstantIso());
    contract.addDeserializer(Instant.class, new InstantFromIso());
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .serializationInclusion(JsonInclude.Include.ALWAYS)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // Quote values keep their scale in trees too (total_profit: always six places).
        .disable(
            com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .addModule(contract)
        .build();
  }

  private static final class BigIntegerAsString extends JsonSerializer<BigInteger> {
    @Override
    public void serialize(BigInteger value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class BigIntegerFromStringOrNumber extends JsonDeserializer<BigInteger> {
    @Override
    public BigInteger deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      switch (p.currentToken()) {
        case VALUE_NUMBER_INT:
          return p.getBigIntegerValue();
        case VALUE_STRING:
          String text = p.getText().trim();
          try {
            return new BigInteger(text);
          } catch (NumberFormatException e) {
            return (BigInteger)
                ctxt.handleWeirdStringValue(BigInteger.class, text, "not a decimal integer");
          }
        default:
          return (BigInteger) ctxt.handleUnexpectedToken(BigInteger.class, p);
      }
    }
  }

  private static final class InstantIso extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
    }
  }

  private static final class InstantFromIso extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      try {
        return Instant.parse(text.trim());
      } catch (RuntimeException e) {
        return (Instant)
            ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 UTC instant");
      }
    }
  }
}
