package io.rehoboam.bot.process.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rehoboam.spi.BotHealth;
import io.rehoboam.spi.LogLevel;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.trade.Execution;
import io.rehoboam.spi.trade.ExecutionMode;
import io.rehoboam.spi.trade.ExecutionStatus;
import io.rehoboam.spi.trade.Leg;
import io.rehoboam.spi.trade.LegExecution;
import io.rehoboam.spi.trade.Opportunity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns one stdout line of a bot's program into a {@link Message}. Field names are the data
 * contract's snake_case names; token amounts are decimal strings or JSON integers, quote values
 * JSON numbers or decimal strings, times ISO-8601. Unknown fields are ignored so programs can send
 * more than this version reads. Thread-safe.
 */
public final class ProtocolParser {
  /** A line that is JSON-shaped but not an acceptable message; the message says why. */
  public static final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolException(String reason) {
      super(reason);
    }
  }

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  // uint256 has 78 digits; anything much longer is garbage and costly to parse.
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,100}");
  private static final int MAX_NUMBER_TEXT = 100;

  private final String botId;
  private final Clock clock;
  private final Duration opportunityTtl;

  public ProtocolParser(String botId, Clock clock, Duration opportunityTtl) {
    this.botId = botId;
    this.clock = clock;
    this.opportunityTtl = opportunityTtl;
  }

  /** The mapper used for protocol JSON in both directions. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Whether the line is meant as a protocol message (its first non-blank character is '{'). */
  public static boolean isProtocolLine(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{';
      }
    }
    return false;
  }

  /** Parses a protocol line. */
  public Message parse(String line) throws ProtocolException {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new ProtocolException("not a JSON object");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new ProtocolException("type: is required (a string)");
    }
    try {
      return switch (type.asText()) {
        case "heartbeat" -> new Message.Heartbeat();
        case "opportunity" -> new Message.Found(opportunity(node));
        case "execution" -> new Message.Executed(execution(node));
        case "log" ->
            new Message.Log(level(node.get("level")), requiredText(node, "message", true));
        case "status" -> new Message.Status(health(node));
        default ->
            throw new ProtocolException(
                "type: unknown message type '"
                    + abbreviate(type.asText(), 40)
                    + "' (known: heartbeat, opportunity, execution, log, status)");
      };
    } catch (RehoboamException e) {
      // The value records name the field that broke their rules.
      throw new ProtocolException(type.asText() + ": " + e.getMessage());
    }
  }

  private Opportunity opportunity(JsonNode n) throws ProtocolException {
    String where = "opportunity";
    BigInteger amountIn = integer(n, "amount_in", where, true);
    BigInteger amountOut = integer(n, "amount_out", where, true);
    BigInteger gasCost = orZero(integer(n, "gas_cost", where, false));
    BigInteger profit = integer(n, "profit", where, false);
    if (profit == null) {
      profit = amountOut.subtract(amountIn);
    }
    BigInteger netProfit = integer(n, "net_profit", where, false);
    if (netProfit == null) {
      netProfit = profit.subtract(gasCost);
    }
    Instant detectedAt = instant(n, "detected_at", where);
    if (detectedAt == null) {
      detectedAt = clock.instant();
    }
    Instant expiresAt = instant(n, "expires_at", where);
    if (expiresAt == null) {
      expiresAt = detectedAt.plus(opportunityTtl);
    }
    Long block = longValue(n, "block_number", where);
    return new Opportunity(
        textOr(n, "id", where, botId + "-" + UUID.randomUUID()),
        textOr(n, "strategy", where, "process"),
        botId, // the bot that found it is this one, whatever the program says
        requiredText(n, "start_token", false, where),
        amountIn,
        amountOut,
        profit,
        gasCost,
        netProfit,
        decimal(n, "profit_usd", where),
        decimal(n, "net_profit_usd", where),
        block == null ? 0 : block,
        detectedAt,
        expiresAt,
        legs(n.get("legs")));
  }

  private List<Leg> legs(JsonNode legs) throws ProtocolException {
    if (legs == null || legs.isNull()) {
      throw new ProtocolException("opportunity: legs: is required");
    }
    if (!legs.isArray()) {
      throw new ProtocolException("opportunity: legs: expected a list");
    }
    List<Leg> out = new ArrayList<>();
    for (int i = 0; i < legs.size(); i++) {
      JsonNode leg = legs.get(i);
      String where = "opportunity: legs[" + i + "]";
      if (!leg.isObject()) {
        throw new ProtocolException(where + ": expected an object");
      }
      Long chainId = longValue(leg, "chain_id", where);
      if (chainId == null) {
        throw new ProtocolException(where + ".chain_id: is required");
      }
      try {
        out.add(
            new Leg(
                chainId,
                requiredText(leg, "dex", false, where),
                requiredText(leg, "pool_id", false, where),
                requiredText(leg, "token_in", false, where),
                requiredText(leg, "token_out", false, where),
                integer(leg, "amount_in", where, true),
                integer(leg, "amount_out", where, true)));
      } catch (RehoboamException e) {
        throw new ProtocolException(where + "." + e.getMessage());
      }
    }
    return out;
  }

  private Execution execution(JsonNode n) throws ProtocolException {
    String where = "execution";
    ExecutionStatus status = enumValue(n, "status", ExecutionStatus.class, null, where);
    if (status == null) {
      throw new ProtocolException(where + ": status: is required");
    }
    Instant startedAt = instant(n, "started_at", where);
    if (startedAt == null) {
      startedAt = clock.instant();
    }
    Instant finishedAt = instant(n, "finished_at", where);
    if (finishedAt == null && status.isTerminal()) {
      finishedAt = clock.instant();
    }
    return Execution.submitted(
            textOr(n, "id", where, botId + "-x-" + UUID.randomUUID()),
            requiredText(n, "opportunity_id", false, where),
            enumValue(n, "mode", ExecutionMode.class, ExecutionMode.PAPER, where),
            integer(n, "expected_profit", where, true),
            startedAt)
        .withTxHashes(textList(n, "tx_hashes", where))
        .withGasUsed(integer(n, "gas_used", where, false))
        .withRealized(
            integer(n, "realized_profit", where, false), decimal(n, "realized_profit_usd", where))
        .withLegs(legExecutions(n.get("legs")))
        .withStatus(status, textOr(n, "reason", where, null), finishedAt);
  }

  private List<LegExecution> legExecutions(JsonNode legs) throws ProtocolException {
    if (legs == null || legs.isNull()) {
      return List.of();
    }
    if (!legs.isArray()) {
      throw new ProtocolException("execution: legs: expected a list");
    }
    List<LegExecution> out = new ArrayList<>();
    for (int i = 0; i < legs.size(); i++) {
      JsonNode leg = legs.get(i);
      String where = "execution: legs[" + i + "]";
      if (!leg.isObject()) {
        throw new ProtocolException(where + ": expected an object");
      }
      Long index = longValue(leg, "index", where);
      Long chainId = longValue(leg, "chain_id", where);
      ExecutionStatus status = enumValue(leg, "status", ExecutionStatus.class, null, where);
      if (status == null) {
        throw new ProtocolException(where + ".status: is required");
      }
      try {
        out.add(
            new LegExecution(
                index == null ? i : Math.toIntExact(index),
                chainId == null ? 0 : chainId,
                status,
                textOr(leg, "tx_hash", where, null),
                textOr(leg, "reason", where, null)));
      } catch (RehoboamException | ArithmeticException e) {
        throw new ProtocolException(where + "." + e.getMessage());
      }
    }
    return out;
  }

  private static LogLevel level(JsonNode node) throws ProtocolException {
    if (node == null || node.isNull()) {
      return LogLevel.INFO;
    }
    String text = node.asText().trim().toUpperCase(Locale.ROOT);
    if (text.equals("WARNING")) {
      return LogLevel.WARN;
    }
    if (text.equals("CRITICAL") || text.equals("FATAL")) {
      return LogLevel.ERROR;
    }
    try {
      return LogLevel.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          "log: level: expected trace, debug, info, warn or error but was '"
              + abbreviate(node.asText(), 20)
              + "'");
    }
  }

  private static BotHealth health(JsonNode n) throws ProtocolException {
    String message = requiredText(n, "message", true);
    BotHealth.Status status = enumValue(n, "health", BotHealth.Status.class, null, "status");
    return new BotHealth(status == null ? BotHealth.Status.UP : status, message);
  }

  // ---------------------------------------------------------------- field readers

  private static String requiredText(JsonNode n, String field, boolean anyScalar)
      throws ProtocolException {
    return requiredText(n, field, anyScalar, n.path("type").asText());
  }

  private static String requiredText(JsonNode n, String field, boolean anyScalar, String where)
      throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new ProtocolException(where + ": " + field + ": is required");
    }
    if (v.isTextual() || (anyScalar && v.isValueNode())) {
      return v.asText();
    }
    throw new ProtocolException(where + ": " + field + ": expected a string");
  }

  private static String textOr(JsonNode n, String field, String where, String fallback)
      throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isTextual() || v.isIntegralNumber()) {
      return v.asText();
    }
    throw new ProtocolException(where + ": " + field + ": expected a string");
  }

  private static List<String> textList(JsonNode n, String field, String where)
      throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ProtocolException(where + ": " + field + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ProtocolException(where + ": " + field + ": expected a list of strings");
      }
      out.add(item.asText());
    }
    return out;
  }

  private static BigInteger integer(JsonNode n, String field, String where, boolean required)
      throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ProtocolException(where + ": " + field + ": is required");
      }
      return null;
    }
    String problem = where + ": " + field + ": expected an integer (a decimal string or number)";
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue();
    }
    if (v.isNumber()) {
      try {
        return v.decimalValue().toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new ProtocolException(problem + " but had a fraction");
      }
    }
    if (v.isTextual()) {
      String text = v.asText().trim();
      if (INTEGER.matcher(text).matches()) {
        return new BigInteger(text);
      }
      throw new ProtocolException(problem + " but was '" + abbreviate(text, 40) + "'");
    }
    throw new ProtocolException(problem);
  }

  private static BigInteger orZero(BigInteger value) {
    return value == null ? BigInteger.ZERO : value;
  }

  private static Long longValue(JsonNode n, String field, String where) throws ProtocolException {
    BigInteger value = integer(n, field, where, false);
    if (value == null) {
      return null;
    }
    if (value.bitLength() > 63) {
      throw new ProtocolException(where + ": " + field + ": out of range");
    }
    return value.longValue();
  }

  private static BigDecimal decimal(JsonNode n, String field, String where)
      throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual() && v.asText().length() <= MAX_NUMBER_TEXT) {
      try {
        return new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new ProtocolException(where + ": " + field + ": expected a decimal number");
  }

  private static Instant instant(JsonNode n, String field, String where) throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      String text = v.asText().trim();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e2) {
          // reported below
        }
      }
    }
    throw new ProtocolException(
        where + ": " + field + ": expected an ISO-8601 time such as 2026-01-01T00:00:00Z");
  }

  private static <E extends Enum<E>> E enumValue(
      JsonNode n, String field, Class<E> type, E fallback, String where) throws ProtocolException {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isTextual()) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(v.asText().trim())) {
          return e;
        }
      }
    }
    List<String> known = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      known.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new ProtocolException(
        where
            + ": "
            + field
            + ": expected one of "
            + String.join(", ", known)
            + " but was '"
            + abbreviate(v.asText(), 20)
            + "'");
  }

  static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
