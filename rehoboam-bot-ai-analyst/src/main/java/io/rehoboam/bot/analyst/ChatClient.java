package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One OpenAI-compatible chat completion: {@code POST <base_url>/chat/completions} with {@code
 * Authorization: Bearer <key>}, a system prompt stating the answer's schema and the summary as the
 * user message, in JSON mode. Blocking; never throws.
 */
final class ChatClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 1024 * 1024;

  static final String SYSTEM_PROMPT =
      "You are a cautious market analyst for an arbitrage-trading engine. You receive a JSON"
          + " summary of the market state, recent opportunities and executions, PnL and risk"
          + " usage. Answer with one JSON object and nothing else, of this shape: "
          + AnalysisSchema.DESCRIPTION
          + ". Suggest setting changes only with a reason; they are advice for a human operator."
          + " Set trip_kill_switch only for a critical risk that calls for stopping all trading.";

  /**
   * The result of one request.
   *
   * @param status HTTP status, or -1 when no answer came
   * @param retryAfter the Retry-After header, or null
   * @param content the first choice's message content (2xx only)
   * @param totalTokens the usage the API reported, or -1
   * @param failure why it failed (never the key or the URL), or null
   */
  record Reply(int status, Duration retryAfter, String content, long totalTokens, String failure) {
    boolean ok() {
      return status / 100 == 2 && failure == null;
    }

    boolean retryable() {
      return status == -1 || status == 429 || status >= 500;
    }
  }

  private final AnalystConfig config;

  ChatClient(AnalystConfig config) {
    this.config = config;
  }

  /** The request body for {@code summary}: model, messages, JSON mode, max_tokens. */
  String body(String summary) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", SYSTEM_PROMPT);
    messages.addObject().put("role", "user").put("content", summary);
    body.putObject("response_format").put("type", "json_object");
    body.put("max_tokens", config.maxAnswerTokens());
    body.put("temperature", 0);
    body.put("stream", false);
    return body.toString();
  }

  Reply complete(String summary) {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) config.endpoint().toURL().openConnection();
      int millis = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
      c.setConnectTimeout(millis);
      c.setReadTimeout(millis);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Accept", "application/json");
      c.setRequestProperty("Authorization", "Bearer " + config.apiKey());
      c.setRequestProperty("Connection", "close");
      byte[] bytes = body(summary).getBytes(StandardCharsets.UTF_8);
      c.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(bytes);
      }
      int status = c.getResponseCode();
      Duration retryAfter = retryAfter(c.getHeaderField("Retry-After"));
      String text = "";
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        if (in != null) {
          text = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        }
      }
      if (status / 100 != 2) {
        return new Reply(status, retryAfter, null, -1, "HTTP " + status);
      }
      JsonNode root;
      try {
        root = JSON.readTree(text);
      } catch (IOException e) {
        return new Reply(status, null, null, -1, "the API answered no JSON");
      }
      long tokens = root.path("usage").path("total_tokens").asLong(-1);
      JsonNode content = root.path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        return new Reply(
            status, null, null, tokens, "the API's answer has no choices[0].message.content");
      }
      return new Reply(status, null, content.asText(), tokens, null);
    } catch (IOException | RuntimeException e) {
      // The message may carry the URL; only the class is kept.
      return new Reply(-1, null, null, -1, e.getClass().getSimpleName());
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long s = Long.parseLong(header.trim());
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
