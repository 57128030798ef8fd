package io.rehoboam.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages in the API's shape: {@code {"error": {"code", "message", "details"}}} as
 * {@code application/json}, for the requests Jetty refuses before any handler runs (a malformed
 * request line, a URI or headers too large, a missing Host) and for any error it answers itself.
 */
public final class JsonErrorHandler extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
      response.setStatus(status);
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    byte[] body = body(status, message == null ? null : message.toString());
    response.getHeaders().put(JSON);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static byte[] body(int status, String reason) {
    return Json.write(HttpErrors.of(status, reason).body()).getBytes(StandardCharsets.UTF_8);
  }
}
