package io.rehoboam.evm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.web3j.crypto.Credentials;

/**
 * JSON-RPC to one bundle relay (a Flashbots-style builder endpoint): {@code eth_callBundle} and
 * {@code eth_sendBundle}, each request signed with the searcher identity in {@link
 * FlashbotsSignature#HEADER}. The URL may carry an API key: messages name only {@link
 * RpcClient#describe scheme, host and port}.
 *
 * <p>Threading: thread-safe; every call blocks the calling thread for the round trip.
 */
public final class RelayClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String url;
  private final OkHttpClient http;
  private final Credentials identity;
  private final AtomicLong ids = new AtomicLong();

  /** The answer of a relay: its result, or the error it gave. */
  public record Reply(JsonNode result, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  public RelayClient(String url, OkHttpClient http, Credentials identity) {
    this.url = url;
    this.http = http;
    this.identity = identity;
  }

  /** scheme://host:port of the relay, for messages. */
  public String endpoint() {
    return RpcClient.describe(url);
  }

  /**
   * Simulates {@code txs} as a bundle for block {@code targetBlock} on the state of the latest
   * block.
   */
  public Reply callBundle(List<String> txs, long targetBlock) throws IOException {
    ObjectNode p = bundle(txs, targetBlock);
    p.put("stateBlockNumber", "latest");
    return call("eth_callBundle", p);
  }

  /** Offers {@code txs} as a bundle for block {@code targetBlock} only. */
  public Reply sendBundle(List<String> txs, long targetBlock) throws IOException {
    return call("eth_sendBundle", bundle(txs, targetBlock));
  }

  private static ObjectNode bundle(List<String> txs, long targetBlock) {
    ObjectNode p = JSON.createObjectNode();
    ArrayNode list = p.putArray("txs");
    txs.forEach(list::add);
    p.put("blockNumber", "0x" + Long.toHexString(targetBlock));
    return p;
  }

  private Reply call(String method, ObjectNode param) throws IOException {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    request.putArray("params").add(param);
    byte[] body = JSON.writeValueAsBytes(request);
    Request http =
        new Request.Builder()
            .url(url)
            .header(FlashbotsSignature.HEADER, FlashbotsSignature.header(identity, body))
            .post(RequestBody.create(body, JSON_TYPE))
            .build();
    try (Response response = this.http.newCall(http).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      JsonNode answer;
      try {
        answer = JSON.readTree(text);
      } catch (IOException e) {
        answer = null;
      }
      if (answer != null && answer.hasNonNull("error")) {
        JsonNode error = answer.get("error");
        String message = error.isTextual() ? error.asText() : error.path("message").asText();
        return new Reply(null, method + " refused by " + endpoint() + ": " + message);
      }
      if (!response.isSuccessful() || answer == null || !answer.has("result")) {
        return new Reply(null, method + " refused by " + endpoint() + ": HTTP " + response.code());
      }
      return new Reply(answer.get("result"), null);
    }
  }
}
