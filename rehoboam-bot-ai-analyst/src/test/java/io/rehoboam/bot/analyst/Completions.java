package io.rehoboam.bot.analyst;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.testsupport.HttpStandIn;
import java.util.Map;

/** Chat-completions answers as an OpenAI-compatible API gives them. */
final class Completions {
  static final String KEY = "sk-test-0123456789-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String VALID =
      "{\"market_regime\":\"volatile\",\"summary\":\"Spreads widened on two venues.\","
          + "\"anomalies\":[{\"description\":\"cross_venue profits doubled\",\"severity\":\"medium\"}],"
          + "\"suggested_changes\":[{\"bot_id\":\"trader\",\"setting\":\"min_profit\",\"value\":8,"
          + "\"reason\":\"fewer marginal trades in volatile markets\"}],"
          + "\"risk_flags\":[{\"flag\":\"loss_streak\",\"severity\":\"medium\","
          + "\"reason\":\"three failed executions\"}]}";

  static final String CRITICAL =
      "{\"market_regime\":\"stressed\",\"anomalies\":[],\"suggested_changes\":[],"
          + "\"risk_flags\":[{\"flag\":\"oracle_divergence\",\"severity\":\"critical\","
          + "\"reason\":\"prices diverge 40% across venues\",\"trip_kill_switch\":true}]}";

  private Completions() {}

  static HttpStandIn.Answer answer(String content, long totalTokens) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-1");
    root.put("object", "chat.completion");
    root.put("model", "deepseek-chat");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", totalTokens / 2);
    usage.put("completion_tokens", totalTokens - totalTokens / 2);
    usage.put("total_tokens", totalTokens);
    return new HttpStandIn.Answer(200, Map.of(), root.toString());
  }
}
