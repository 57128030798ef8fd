package io.rehoboam.core.config.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document into plain Java values: {@code LinkedHashMap<String, Object>}, {@code
 * ArrayList<Object>}, {@link String}, {@link Boolean}, {@link Number} ({@link Integer}, {@link
 * Long}, {@link java.math.BigInteger}, {@link BigDecimal}, or {@link Double} for {@code .nan} and
 * {@code .inf}) and null. A hexadecimal literal of 40 digits or more (an address, a hash) is read
 * as its text, so that addresses need no quotes.
 *
 * <p>Jackson's data binding would silently turn an alias ({@code *name}) into the text of its name
 * and a merge key ({@code <<}) into an ordinary key; this reader resolves both the way YAML means
 * them. Duplicate keys are errors. Error messages never quote the document's text: a scalar there
 * may be a secret. Stateless and thread-safe.
 */
public final class YamlReader {
  /** Guards against alias bombs: a document expanding to more nodes than this is refused. */
  static final long MAX_NODES = 1_000_000;

  private static final YAMLFactory FACTORY =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // "key:" with nothing after it means no value, as in YAML itself, not "".
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();

  /** Addresses (40 hex digits), hashes and keys (64): text even when written without quotes. */
  private static final java.util.regex.Pattern HEX_TEXT =
      java.util.regex.Pattern.compile("0[xX][0-9a-fA-F]{40,}");

  private YamlReader() {}

  /**
   * The document in {@code yaml}, or null when there is none (empty text, only comments, or an
   * empty document). Throws {@link ErrorCode#INVALID_CONFIG} prefixed with {@code source} for
   * syntax errors (with line and column), duplicate keys, unknown aliases and more than one
   * document.
   */
  public static Object read(String yaml, String source) {
    String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
    try (YAMLParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      Object document = new Walker(parser, source).value(first);
      if (parser.nextToken() != null) {
        throw error(
            source,
            parser.currentTokenLocation(),
            "expected one YAML document but found another (remove the extra '---')");
      }
      if (document instanceof String s && s.isEmpty()) {
        return null;
      }
      return document;
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e);
    } catch (IOException e) {
      // Reading from a String cannot fail with I/O; anything here is the parser's own complaint.
      throw new RehoboamException(
          ErrorCode.INVALID_CONFIG,
          source + ": cannot read YAML (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  private static RehoboamException syntaxError(String source, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark at = marked.getProblemMark();
      StringBuilder msg =
          new StringBuilder(source)
              .append(": YAML syntax error at line ")
              .append(at.getLine() + 1)
              .append(", column ")
              .append(at.getColumn() + 1)
              .append(": ")
              .append(oneLine(marked.getProblem()));
      if (marked.getContext() != null && marked.getContextMark() != null) {
        Mark ctx = marked.getContextMark();
        msg.append(" (")
            .append(oneLine(marked.getContext()))
            .append(" started at line ")
            .append(ctx.getLine() + 1)
            .append(", column ")
            .append(ctx.getColumn() + 1)
            .append(')');
      }
      return new RehoboamException(ErrorCode.INVALID_CONFIG, msg.toString(), e);
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String problem;
    if (original.startsWith("Duplicate field ")) {
      problem = "duplicate key " + original.substring("Duplicate field ".length());
    } else if (original.startsWith("Expected a field name")) {
      problem = "keys must be plain scalars (complex keys are not supported)";
    } else {
      // Jackson quotes the offending text (a malformed number, say); it may be a secret.
      problem = oneLine(original).replaceAll("'[^']*'", "'…'");
    }
    return new RehoboamException(
        ErrorCode.INVALID_CONFIG,
        source + ": YAML syntax error" + where(e.getLocation()) + ": " + problem,
        e);
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "invalid YAML";
    }
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).trim();
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static RehoboamException error(String source, JsonLocation location, String problem) {
    String at =
        location == null || location.getLineNr() < 1
            ? ""
            : " line " + location.getLineNr() + ", column " + location.getColumnNr() + ":";
    return new RehoboamException(ErrorCode.INVALID_CONFIG, source + ":" + at + " " + problem);
  }

  /** One pass over the token stream, remembering anchors for the aliases that follow them. */
  private static final class Walker {
    private final YAMLParser parser;
    private final String source;
    private final Map<String, Object> anchored = new HashMap<>();
    private final Map<String, Long> anchoredSize = new HashMap<>();
    private long nodes;

    Walker(YAMLParser parser, String source) {
      this.parser = parser;
      this.source = source;
    }

    Object value(JsonToken token) throws IOException {
      if (token == JsonToken.VALUE_STRING && parser.isCurrentAlias()) {
        return alias(parser.getText());
      }
      String anchor = parser.getObjectId();
      long before = nodes;
      count(1);
      Object value =
          switch (token) {
            case START_OBJECT -> map();
            case START_ARRAY -> list();
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> integer();
            case VALUE_NUMBER_FLOAT -> decimal();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default ->
                throw error(source, parser.currentTokenLocation(), "unexpected YAML content");
          };
      if (anchor != null) {
        anchored.put(anchor, value);
        anchoredSize.put(anchor, nodes - before);
      }
      return value;
    }

    private Object alias(String name) {
      if (!anchored.containsKey(name)) {
        throw error(
            source,
            parser.currentTokenLocation(),
            "alias '*" + name + "' refers to no anchor defined before it");
      }
      count(anchoredSize.get(name));
      return anchored.get(name);
    }

    private void count(long n) {
      nodes += n;
      if (nodes > MAX_NODES) {
        throw error(
            source,
            parser.currentTokenLocation(),
            "document too large (more than " + MAX_NODES + " values once aliases are expanded)");
      }
    }

    /**
     * An integer, except a hexadecimal literal of 40 digits or more: that is an address, a hash or
     * a key written without quotes, and stays its text (YAML would read {@code 0xB4e1...} as a
     * 160-bit number and lose its leading zeros).
     */
    private Object integer() throws IOException {
      String text = parser.getText();
      if (text != null && HEX_TEXT.matcher(text).matches()) {
        return text;
      }
      return parser.getNumberValue();
    }

    private Object decimal() throws IOException {
      // Jackson recognises YAML's .nan and .inf as floats but cannot convert them.
      String text = parser.getText();
      if (text.matches("\\.(nan|NaN|NAN)")) {
        return Double.NaN;
      }
      if (text.matches("[-+]?\\.(inf|Inf|INF)")) {
        return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      // Exact: 0.1 stays 0.1 and long fractions keep every digit.
      return parser.getDecimalValue();
    }

    private Map<String, Object> map() throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      List<Map<?, ?>> merged = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonLocation keyAt = parser.currentTokenLocation();
        Object value = value(parser.nextToken());
        if ("<<".equals(key)) {
          addMergeSources(value, keyAt, merged);
        } else {
          out.put(key, value);
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw error(source, parser.currentTokenLocation(), "unexpected YAML content in a map");
      }
      // Explicit keys win over merged ones, and an earlier merge source over a later one.
      for (Map<?, ?> from : merged) {
        from.forEach((k, v) -> out.putIfAbsent(String.valueOf(k), v));
      }
      return out;
    }

    private void addMergeSources(Object value, JsonLocation at, List<Map<?, ?>> merged) {
      if (value instanceof Map<?, ?> map) {
        merged.add(map);
        return;
      }
      if (value instanceof List<?> list && list.stream().allMatch(o -> o instanceof Map<?, ?>)) {
        list.forEach(o -> merged.add((Map<?, ?>) o));
        return;
      }
      throw error(source, at, "merge key '<<' needs a map or a list of maps");
    }

    private List<Object> list() throws IOException {
      List<Object> out = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          throw error(source, parser.currentTokenLocation(), "unexpected end of a list");
        }
        out.add(value(token));
      }
      return out;
    }
  }
}
