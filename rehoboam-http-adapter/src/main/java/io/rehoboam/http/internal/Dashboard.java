package io.rehoboam.http.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The web dashboard: the built single-page application (module {@code rehoboam-dashboard}) served
 * from the class path at {@code /}, on the same origin as the API, so the API's keys, TLS, origin
 * checks and rate limits apply to it unchanged. Every file goes out with a strict
 * Content-Security-Policy: scripts, styles and connections from this origin only, nothing inline,
 * no frames.
 */
public final class Dashboard {
  /** Where the build puts the dashboard's files on the class path. */
  public static final String RESOURCE_DIR = "/io/rehoboam/http/dashboard";

  /** The page's policy: everything from this origin (WebSocket included), nothing else. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Cross-Origin-Opener-Policy", "same-origin",
          // index.html names the hashed asset files of its build: always revalidated.
          "Cache-Control", "no-cache");

  private Dashboard() {}

  /** Whether the dashboard's files are on the class path. */
  public static boolean available() {
    return Dashboard.class.getResource(RESOURCE_DIR + "/index.html") != null;
  }

  /** Serves the dashboard at {@code /} when its files are on the class path; true when it does. */
  public static boolean configure(JavalinConfig config) {
    if (!available()) {
      return false;
    }
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = RESOURCE_DIR;
          files.location = Location.CLASSPATH;
          files.headers = HEADERS;
        });
    return true;
  }
}
