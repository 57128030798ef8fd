package io.rehoboam.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;

/**
 * Telegram's Bot API: {@code POST <api_url>/bot<token>/sendMessage} with {@code {chat_id, text}}. A
 * 429's wait comes from {@code Retry-After} or the body's {@code parameters.retry_after}.
 */
final class TelegramTransport implements Transport {
  /** Telegram refuses longer texts. */
  static final int MAX_TEXT = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SinkSettings sink;

  TelegramTransport(SinkSettings sink) {
    this.sink = sink;
  }

  /** The Bot API URL of {@code method} (it carries the token: never log it). */
  static URI method(SinkSettings sink, String method) {
    String base = sink.url().toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/bot" + sink.token() + "/" + method);
  }

  @Override
  public Outcome send(String text) {
    return sendTo(sink.chatId(), text);
  }

  Outcome sendTo(String chatId, String text) {
    ObjectNode body = JSON.createObjectNode();
    body.put("chat_id", chatId);
    body.put("text", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "…" : text);
    body.put("disable_web_page_preview", true);
    HttpPost.Response r =
        HttpPost.send(method(sink, "sendMessage"), body.toString(), sink.timeout());
    if (r.status() == 429 && r.retryAfter() == null) {
      Duration fromBody = bodyRetryAfter(r.body());
      if (fromBody != null) {
        return new Outcome(false, true, fromBody, "HTTP 429");
      }
    }
    return Outcome.from(r);
  }

  private static Duration bodyRetryAfter(String body) {
    try {
      JsonNode n = JSON.readTree(body).path("parameters").path("retry_after");
      return n.canConvertToLong() ? Duration.ofSeconds(n.asLong()) : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }
}
