package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, defect 9: the served OpenAPI document is valid (checked by swagger-parser, a real
 * OpenAPI validator), has an example for every parameter and request body, and tells the truth:
 * every operation, driven with its examples, answers a status the document lists with a body its
 * schema allows.
 */
class OpenApiContractIT {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  private TestServer server;
  private JsonNode document;

  @BeforeEach
  void start() {
    server = TestServer.start();
    Response served = server.get("/openapi.json");
    assertEquals(200, served.status());
    document = served.json();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theServedDocumentIsValidOpenApi() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result =
        new OpenAPIV3Parser().readContents(document.toString(), null, options);
    assertTrue(result.getOpenAPI() != null, "not parsed: " + result.getMessages());
    assertEquals(List.of(), result.getMessages(), "the validator's findings");
  }

  @Test
  void everyParameterAndRequestBodyHasAnExample() {
    List<String> missing = new ArrayList<>();
    forEachOperation(
        (path, method, op) -> {
          for (JsonNode p : parameters(path, op)) {
            if (!p.has("example") && !p.has("examples")) {
              missing.add(method + " " + path + " parameter " + p.path("name").asText());
            }
          }
          JsonNode body = op.path("requestBody").path("content").path("application/json");
          if (op.has("requestBody") && !body.has("example") && !body.has("examples")) {
            missing.add(method + " " + path + " request body");
          }
        });
    assertEquals(List.of(), missing);
  }

  @Test
  void everyOperationDrivenWithItsExamplesAnswersAsDocumented() {
    // The world the examples describe: a bot live_monitor, an opportunity to execute.
    server.runEmitter("live_monitor");
    server.service.sendCommand(
        "live_monitor",
        "opportunity",
        Map.of("id", "cross_venue-0xc02a-1", "net_profit", 5000, "net_profit_usd", "12.5"));
    List<String[]> operations = new ArrayList<>();
    forEachOperation((path, method, op) -> operations.add(new String[] {path, method}));
    // Stopping and then unregistering go last: the other operations act on the running bot.
    operations.sort(
        Comparator.comparing(
            o -> o[1].equals("delete") ? 2 : o[0].endsWith("/bots/{bot_id}/stop") ? 1 : 0));
    List<String> problems = new ArrayList<>();
    int ok = 0;
    List<String> refused = new ArrayList<>();
    for (String[] o : operations) {
      String path = o[0];
      String method = o[1];
      JsonNode op = document.path("paths").path(path).path(method);
      Response r = call(path, method, op);
      String where = method.toUpperCase(java.util.Locale.ROOT) + " " + path + " -> " + r.status();
      JsonNode response = op.path("responses").path(Integer.toString(r.status()));
      if (response.isMissingNode()) {
        problems.add(where + ": status not in the document " + r.text());
        continue;
      }
      if (r.status() < 300) {
        ok++;
      } else {
        refused.add(where);
      }
      JsonNode content = resolve(response).path("content");
      String type = r.raw().headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json")) {
        JsonNode schema = content.path("application/json").path("schema");
        if (schema.isMissingNode()) {
          problems.add(where + ": JSON answered, none documented");
        } else if (r.json() == null) {
          problems.add(where + ": not JSON: " + r.text());
        } else {
          List<String> errors = new ArrayList<>();
          validate(schema, r.json(), "body", errors);
          errors.forEach(e -> problems.add(where + ": " + e));
        }
      } else if (!content.has(type.split(";")[0].trim())) {
        problems.add(where + ": answered " + type + ", documented " + content.fieldNames().next());
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(
        ok >= operations.size() - 2,
        ok + " of " + operations.size() + " succeeded; refused: " + refused);
  }

  // ---------------------------------------------------------------- driving

  private Response call(String path, String method, JsonNode op) {
    String target = path;
    StringBuilder query = new StringBuilder();
    List<String> headers = new ArrayList<>();
    for (JsonNode p : parameters(path, op)) {
      String value = p.path("example").asText();
      switch (p.path("in").asText()) {
        case "path" -> target = target.replace("{" + p.path("name").asText() + "}", value);
        case "query" ->
            query
                .append(query.length() == 0 ? "?" : "&")
                .append(p.path("name").asText())
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        case "header" -> {
          headers.add(p.path("name").asText());
          headers.add(value);
        }
        default -> throw new AssertionError("parameter in " + p.path("in").asText());
      }
    }
    JsonNode example =
        op.path("requestBody").path("content").path("application/json").path("example");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(target + query))
            .method(
                method.toUpperCase(java.util.Locale.ROOT),
                example.isMissingNode()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(example.toString()));
    if (!example.isMissingNode()) {
      request.header("Content-Type", "application/json");
    }
    if (!headers.isEmpty()) {
      request.headers(headers.toArray(String[]::new));
    }
    return server.send(request);
  }

  private List<JsonNode> parameters(String path, JsonNode op) {
    List<JsonNode> out = new ArrayList<>();
    document.path("paths").path(path).path("parameters").forEach(out::add);
    op.path("parameters").forEach(out::add);
    return out;
  }

  private interface OperationVisitor {
    void visit(String path, String method, JsonNode operation);
  }

  private void forEachOperation(OperationVisitor visitor) {
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (String method : METHODS) {
        if (path.getValue().has(method)) {
          visitor.visit(path.getKey(), method, path.getValue().get(method));
        }
      }
    }
  }

  // ---------------------------------------------------------------- the schema subset in use

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      String ref = current.get("$ref").asText();
      assertTrue(ref.startsWith("#/"), ref);
      current = document.at(ref.substring(1));
      assertTrue(!current.isMissingNode(), "dangling $ref " + ref);
    }
    return current;
  }

  /**
   * Checks {@code value} against {@code schema}: $ref, type, nullable, enum, properties, required,
   * items, maxLength, minimum and maximum (what the document uses).
   */
  private void validate(JsonNode schemaOrRef, JsonNode value, String at, List<String> errors) {
    JsonNode schema = resolve(schemaOrRef);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        errors.add(at + ": null but not nullable");
      }
      return;
    }
    String type = schema.path("type").asText("");
    boolean typeOk =
        switch (type) {
          case "" -> true;
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> false;
        };
    if (!typeOk) {
      errors.add(at + ": expected " + type + " but was " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode e : schema.get("enum")) {
        listed |= e.equals(value);
      }
      if (!listed) {
        errors.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("maxLength")
        && value.isTextual()
        && value.asText().length() > schema.get("maxLength").asInt()) {
      errors.add(at + ": longer than " + schema.get("maxLength"));
    }
    if (schema.has("minimum")
        && value.isNumber()
        && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
      errors.add(at + ": below " + schema.get("minimum"));
    }
    if (schema.has("maximum")
        && value.isNumber()
        && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
      errors.add(at + ": above " + schema.get("maximum"));
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          errors.add(at + ": missing " + required.asText());
        }
      }
      schema
          .path("properties")
          .fields()
          .forEachRemaining(
              p -> {
                if (value.has(p.getKey())) {
                  validate(p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), errors);
                }
              });
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(schema.get("items"), value.get(i), at + "[" + i + "]", errors);
      }
    }
  }
}
