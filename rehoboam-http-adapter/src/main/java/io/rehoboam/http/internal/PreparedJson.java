package io.rehoboam.http.internal;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sends a JSON body the server already holds as bytes (an opportunities page written once per book
 * change) in one write with its {@code Content-Length}. Handing the bytes to Javalin as a result
 * instead copies them through a stream in small pieces and, above Jetty's output buffer, frames
 * them as chunks; on the busiest read route that was a measurable share of each request. A client
 * that accepts gzip still gets Javalin's compression.
 */
final class PreparedJson {
  private PreparedJson() {}

  static void send(Context ctx, byte[] json) {
    ctx.status(200).contentType("application/json");
    String encodings = ctx.header("Accept-Encoding");
    if (encodings != null && !encodings.isBlank()) {
      ctx.result(json);
      return;
    }
    HttpServletResponse response = ctx.res();
    response.setContentLength(json.length);
    try {
      response.getOutputStream().write(json);
    } catch (IOException gone) {
      // The client went away mid-answer: there is nobody left to tell, and nothing to log.
    }
  }
}
