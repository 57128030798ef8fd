package io.rehoboam.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehoboam.core.ArbitrageService;
import io.rehoboam.core.log.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every control and execute action: who (the key id, never the key), from where, through
 * which door (rest or ws), what (action and target) and the result (ok, or the error code). Each
 * record is a {@code system} event of kind {@code audit} whose message is the record as a JSON
 * object, and a log line on the logger {@code io.rehoboam.audit}.
 *
 * <p>The SPI's sealed event type is left alone on purpose: an audit record is something about the
 * service as a whole, which is what {@code system} events are, and every existing subscriber and
 * WebSocket client already knows their shape (topic {@code system}).
 */
public final class Audit {
  public static final String KIND = "audit";

  /** A target longer than this (a refused, over-long id) is recorded clipped. */
  private static final int MAX_TARGET_CHARS = 256;

  private static final Logger log = LoggerFactory.getLogger("io.rehoboam.audit");

  private final ArbitrageService service;

  public Audit(ArbitrageService service) {
    this.service = service;
  }

  /**
   * Records one action.
   *
   * @param target what it acted on (a bot id, an opportunity id), or null
   * @param result {@code ok} or the error code
   * @param status the HTTP status it was answered with (a WebSocket command's too)
   */
  public void record(
      Principal principal,
      String address,
      String via,
      String action,
      String target,
      String result,
      int status) {
    if (target != null && target.length() > MAX_TARGET_CHARS) {
      target = target.substring(0, MAX_TARGET_CHARS) + "...";
    }
    ObjectNode record = Json.mapper().createObjectNode();
    record.put("key_id", principal == null ? null : principal.keyId());
    record.put("address", address);
    record.put("via", via);
    record.put("action", action);
    record.put("target", target);
    record.put("result", result);
    record.put("status", status);
    String text = record.toString();
    log.info(
        "audit key_id={} address={} via={} action={} target={} result={} status={}",
        LogText.escape(principal == null ? null : principal.keyId()),
        LogText.escape(address),
        via,
        action,
        LogText.escape(target),
        result,
        status);
    try {
      service.publishSystemEvent(KIND, text);
    } catch (RuntimeException e) {
      log.warn("Publishing an audit record failed: {}", e.toString());
    }
  }
}
