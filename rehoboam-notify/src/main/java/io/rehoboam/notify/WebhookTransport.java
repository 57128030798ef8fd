package io.rehoboam.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A chat webhook: Discord ({@code {"content": text}}, at most 2000 characters) or Slack ({@code
 * {"text": text}}), POSTed as JSON to the sink's URL.
 */
final class WebhookTransport implements Transport {
  static final int DISCORD_MAX = 2000;
  static final int SLACK_MAX = 40_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SinkSettings sink;

  WebhookTransport(SinkSettings sink) {
    this.sink = sink;
  }

  @Override
  public Outcome send(String text) {
    ObjectNode body = JSON.createObjectNode();
    if (sink.type() == SinkSettings.Type.DISCORD) {
      body.put("content", cut(text, DISCORD_MAX));
    } else {
      body.put("text", cut(text, SLACK_MAX));
    }
    return Outcome.from(HttpPost.send(sink.url(), body.toString(), sink.timeout()));
  }

  private static String cut(String text, int max) {
    return text.length() > max ? text.substring(0, max - 1) + "…" : text;
  }
}
