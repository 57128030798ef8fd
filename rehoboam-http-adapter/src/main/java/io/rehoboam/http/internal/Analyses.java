package io.rehoboam.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.events.EventSubscription;
import io.rehoboam.http.Scope;
import io.rehoboam.spi.event.AnalysisEvent;
import io.rehoboam.spi.event.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The latest market analyses ({@code GET /api/arbitrage/analyses}): the {@link AnalysisEvent}s the
 * {@code ai_analyst} bots publish, newest first, the last {@value #KEPT} since the server started.
 * Each is the event as the WebSocket shows it plus, for clients written before analyses were events
 * of their own, {@code analysis}: the model's answer as one object.
 */
public final class Analyses implements AutoCloseable {
  static final int KEPT = 50;

  private final ArbitrageService service;
  private final Deque<ObjectNode> latest = new ArrayDeque<>();
  private EventSubscription subscription;

  public Analyses(ArbitrageService service) {
    this.service = service;
  }

  public void start() {
    subscription = service.subscribe(this::onEvent, e -> e instanceof AnalysisEvent);
  }

  private void onEvent(Event event) {
    ObjectNode entry = entry((AnalysisEvent) event);
    synchronized (latest) {
      latest.addFirst(entry);
      while (latest.size() > KEPT) {
        latest.removeLast();
      }
    }
  }

  /** The event's JSON and the answer as one {@code analysis} object, as the model gave it. */
  static ObjectNode entry(AnalysisEvent a) {
    ObjectNode entry = Json.event(a);
    ObjectNode answer = Json.mapper().createObjectNode();
    answer.put("market_regime", a.marketRegime());
    if (a.summary() != null) {
      answer.put("summary", a.summary());
    }
    for (String field : new String[] {"anomalies", "suggested_changes", "risk_flags"}) {
      answer.set(field, entry.get(field).deepCopy());
    }
    entry.set("analysis", answer);
    return entry;
  }

  public Route route() {
    return new Route(HandlerType.GET, RestApi.BASE + "/analyses", Scope.READ, null, this::get);
  }

  private void get(Context ctx) {
    String text = ctx.queryParam("limit");
    int limit = 10;
    if (text != null && !text.isBlank()) {
      try {
        limit = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > KEPT) {
        throw ApiError.invalid(
                "limit",
                "expected an integer 1.."
                    + KEPT
                    + " but was '"
                    + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                    + "'")
            .toException();
      }
    }
    String botId = ctx.queryParam("bot_id");
    if (botId != null && botId.length() > Limits.BOT_ID_CHARS) {
      throw ApiError.invalid(
              "bot_id", "at most " + Limits.BOT_ID_CHARS + " characters, was " + botId.length())
          .toException();
    }
    List<ObjectNode> out = new ArrayList<>();
    synchronized (latest) {
      for (ObjectNode n : latest) {
        if (out.size() == limit) {
          break;
        }
        if (botId == null || botId.equals(n.path("bot_id").asText())) {
          out.add(n);
        }
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("analyses");
    out.forEach(list::add);
    RestApi.json(ctx, 200, body);
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
