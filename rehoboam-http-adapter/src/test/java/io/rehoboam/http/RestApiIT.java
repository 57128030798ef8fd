package io.rehoboam.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehoboam.core.risk.RiskLimits;
import io.rehoboam.http.testing.Opportunities;
import io.rehoboam.http.testing.TestServer;
import io.rehoboam.http.testing.TestServer.Response;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every REST endpoint, success and error paths, against a real server. */
class RestApiIT {
  private static final String API = "/api/arbitrage";

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---------------------------------------------------------------- opportunities

  @Test
  void opportunitiesAreListedBestFirstInTheContractShape() {
    server.runEmitter("scout");
    server.publish("scout", "opp-small", 500, "1.50");
    server.publish("scout", "opp-big", 9000, "30.25");
    server.publish("scout", "opp-mid", 2000, "7");

    Response r = server.get(API + "/opportunities");

    assertEquals(200, r.status());
    assertEquals("application/json", r.raw().headers().firstValue("Content-Type").orElseThrow());
    assertEquals(3, r.json().get("count").asInt());
    List<String> ids = ids(r.json().get("opportunities"));
    assertEquals(List.of("opp-big", "opp-mid", "opp-small"), ids);
    JsonNode big = r.json().get("opportunities").get(0);
    assertEquals(
        new TreeSet<>(
            Set.of(
                "id",
                "strategy",
                "source_bot",
                "start_token",
                "amount_in",
                "amount_out",
                "profit",
                "gas_cost",
                "net_profit",
                "profit_usd",
                "net_profit_usd",
                "block_number",
                "detected_at",
                "expires_at",
                "legs",
                "start_token_symbol",
                "amount_in_decimal",
                "amount_out_decimal",
                "profit_decimal",
                "gas_cost_decimal",
                "net_profit_decimal")),
        fieldNames(big));
    assertTrue(big.get("start_token_symbol").isNull(), "no source knows the test's tokens");
    assertEquals("9000", big.get("net_profit").asText());
    assertTrue(big.get("net_profit").isTextual(), "token amounts are decimal strings");
    assertTrue(big.get("net_profit_usd").isNumber(), "quote values are numbers");
    assertEquals(new BigDecimal("30.25"), big.get("net_profit_usd").decimalValue());
    assertEquals("scout", big.get("source_bot").asText());
    assertTrue(big.get("detected_at").asText().endsWith("Z"));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "chain_id",
                "dex",
                "pool_id",
                "token_in",
                "token_out",
                "amount_in",
                "amount_out",
                "token_in_symbol",
                "token_out_symbol",
                "amount_in_decimal",
                "amount_out_decimal")),
        fieldNames(big.get("legs").get(0)));
  }

  @Test
  void aLargeOpportunitiesPageIsOneBodyWithItsLengthAndStillGzippedForClientsThatAsk()
      throws Exception {
    server.runEmitter("scout");
    for (int i = 0; i < 120; i++) {
      server.publish("scout", "opp-" + i, 1000 + i, Integer.toString(1 + i));
    }
    // 120 opportunities with their legs: well above Jetty's 32 KiB output buffer.
    java.net.http.HttpResponse<byte[]> plain =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri(API + "/opportunities?limit=500")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, plain.statusCode());
    assertTrue(plain.body().length > 40_000, "page size " + plain.body().length);
    assertEquals(
        Long.toString(plain.body().length),
        plain.headers().firstValue("Content-Length").orElse("none: chunked"));
    JsonNode page = TestServer.JSON.readTree(plain.body());
    assertEquals(120, page.get("count").asInt());
    assertEquals("opp-119", page.get("opportunities").get(0).get("id").asText());

    java.net.http.HttpResponse<byte[]> gzipped =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri(API + "/opportunities?limit=500"))
                    .header("Accept-Encoding", "gzip")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, gzipped.statusCode());
    assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse("none"));
    byte[] unzipped =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))
            .readAllBytes();
    assertEquals(page, TestServer.JSON.readTree(unzipped));
  }

  @Test
  void opportunitiesAreFilteredByStrategyMinProfitTokenAndLimit() {
    server.runEmitter("scout");
    server.publish("scout", "a", 100, "1");
    server.publish("scout", "b", 200, "2");
    server.publish("scout", "c", 300, "3");
    server.service.sendCommand(
        "scout",
        "opportunity",
        java.util.Map.of(
            "id", "cyc", "net_profit", 500, "net_profit_usd", "9", "strategy", "cyclic"));

    assertEquals(
        List.of("cyc"),
        ids(server.get(API + "/opportunities?strategy=cyclic").json().get("opportunities")));
    assertEquals(
        List.of("cyc", "c"),
        ids(server.get(API + "/opportunities?min_profit=2.5").json().get("opportunities")));
    assertEquals(
        List.of("cyc"),
        ids(server.get(API + "/opportunities?limit=1").json().get("opportunities")));
    assertEquals(
        4,
        server
            .get(
                API
                    + "/opportunities?token="
                    + Opportunities.USDC.toUpperCase().replace("0X", "0x"))
            .json()
            .get("count")
            .asInt());
    assertEquals(0, server.get(API + "/opportunities?token=0xdead").json().get("count").asInt());
  }

  @Test
  void badOpportunityQueriesAre400NamingTheParameter() {
    for (String query : List.of("limit=abc", "limit=0", "limit=10001", "min_profit=lots")) {
      Response r = server.get(API + "/opportunities?" + query);
      assertEquals(400, r.status(), query);
      assertEquals("INVALID_ARGUMENT", r.errorCode(), query);
      String field = query.substring(0, query.indexOf('='));
      assertEquals(field, r.json().path("error").path("details").path("field").asText(), query);
      assertTrue(r.errorMessage().startsWith(field + ":"), r.errorMessage());
    }
  }

  @Test
  void strategiesAreListed() {
    Response r = server.get(API + "/strategies");

    assertEquals(200, r.status());
    List<String> ids = new ArrayList<>();
    r.json().get("strategies").forEach(s -> ids.add(s.get("id").asText()));
    assertTrue(ids.contains("cross_venue"), ids.toString());
    assertTrue(ids.contains("cyclic"), ids.toString());
    JsonNode first = r.json().get("strategies").get(0);
    assertTrue(first.has("name") && first.has("description") && first.has("parameters"));
    // The parameters are the scanning bot's declared settings: names, types, units, defaults.
    io.rehoboam.spi.SettingsSchema schema =
        new io.rehoboam.core.bots.LiveMonitorProvider().settingsSchema();
    for (JsonNode p : first.get("parameters")) {
      io.rehoboam.spi.SettingSpec spec =
          schema.setting(p.get("name").asText()).orElseThrow(() -> new AssertionError(p));
      assertEquals(spec.type().wireName(), p.get("type").asText(), p.toString());
      assertEquals(String.valueOf(spec.unit()), p.path("unit").asText("null"), p.toString());
    }
    assertTrue(first.toString().contains("\"name\":\"gas_price_gwei\""), first.toString());
    assertTrue(first.toString().contains("\"unit\":\"gwei\""), first.toString());
  }

  // ---------------------------------------------------------------- bots

  @Test
  void botStatusHasTheSeedsTenFieldsAndOurs() {
    server.runEmitter("alpha");

    Response list = server.get(API + "/bots");
    Response one = server.get(API + "/bots/alpha");

    assertEquals(200, list.status());
    assertEquals(1, list.json().get("bots").size());
    assertEquals(200, one.status());
    JsonNode bot = one.json();
    assertEquals(
        new TreeSet<>(
            Set.of(
                "bot_id",
                "name",
                "status",
                "script_path",
                "process_id",
                "start_time",
                "last_activity",
                "opportunities_found",
                "total_profit",
                "total_profit_usd",
                "quote_currency",
                "error_message",
                "type",
                "restarts",
                "desired_state",
                "health",
                "schedule",
                "next_start",
                "next_stop",
                "settings",
                "run_overrides")),
        fieldNames(bot));
    assertEquals("alpha", bot.get("bot_id").asText());
    assertEquals("running", bot.get("status").asText());
    assertEquals("running", bot.get("desired_state").asText());
    assertEquals("emitter", bot.get("type").asText());
    assertTrue(bot.get("script_path").isNull());
    assertTrue(bot.get("process_id").isNull());
    assertTrue(bot.get("total_profit").isNumber());
    assertTrue(one.text().contains("\"total_profit\":0.000000,"), "fixed scale: " + one.text());
    assertEquals(bot.get("total_profit"), bot.get("total_profit_usd"));
    assertEquals("USD", bot.get("quote_currency").asText());
    assertTrue(bot.get("opportunities_found").isIntegralNumber());
    assertEquals("up", bot.get("health").get("status").asText());
    JsonNode listed = list.json().get("bots").get(0);
    TreeSet<String> statusFields = fieldNames(bot);
    statusFields.removeAll(Set.of("settings", "run_overrides"));
    assertEquals(statusFields, fieldNames(listed), "the list has the status without the settings");
    assertEquals(listed.get("bot_id"), bot.get("bot_id"));
  }

  @Test
  void unknownBotIs404InTheErrorShape() {
    for (Response r :
        List.of(
            server.get(API + "/bots/ghost"),
            server.get(API + "/bots/ghost/logs"),
            server.post(API + "/bots/ghost/start", null),
            server.post(API + "/bots/ghost/stop", null),
            server.delete(API + "/bots/ghost"))) {
      assertEquals(404, r.status(), r.text());
      assertEquals("NOT_FOUND", r.errorCode());
      assertTrue(r.errorMessage().contains("ghost"), r.errorMessage());
      assertTrue(r.json().get("error").has("details"));
    }
  }

  @Test
  void logsReturnTheLastLines() {
    server.runEmitter("talker");
    server.service.sendCommand("talker", "log", java.util.Map.of("count", 5, "message", "hello"));

    Response r = server.get(API + "/bots/talker/logs?lines=2");

    assertEquals(200, r.status());
    assertEquals("talker", r.json().get("bot_id").asText());
    JsonNode lines = r.json().get("lines");
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).asText().contains("4 hello"), lines.toString());
    assertEquals(6, server.get(API + "/bots/talker/logs").json().get("lines").size());
    for (String bad : List.of("lines=-1", "lines=x", "lines=10001")) {
      Response e = server.get(API + "/bots/talker/logs?" + bad);
      assertEquals(400, e.status(), bad);
      assertEquals("lines", e.json().path("error").path("details").path("field").asText());
    }
  }

  @Test
  void botsAreRegisteredAndUnregisteredAtRunTimeSideBySide() throws InterruptedException {
    Response first =
        server.post(
            API + "/bots",
            """
            {"id": "em-1", "type": "emitter", "name": "Emitter one",
             "settings": {"greeting": "hi"},
             "restart": {"policy": "never", "stop_timeout": "2s"}}
            """);
    java.util.concurrent.CountDownLatch em2Running = new java.util.concurrent.CountDownLatch(1);
    server.service.subscribe(
        e -> {
          if (e instanceof io.rehoboam.spi.event.BotStatusEvent s
              && s.botId().equals("em-2")
              && s.to() == io.rehoboam.spi.event.BotState.RUNNING) {
            em2Running.countDown();
          }
        });
    Response second =
        server.post(
            API + "/bots", "{\"id\": \"em-2\", \"type\": \"emitter\", \"autostart\": true}");

    assertEquals(201, first.status(), first.text());
    assertEquals("registered", first.json().get("status").asText());
    assertEquals("Emitter one", first.json().get("name").asText());
    assertEquals(201, second.status(), second.text());
    assertEquals(
        "running", server.post(API + "/bots/em-1/start", null).json().get("status").asText());
    assertTrue(em2Running.await(20, java.util.concurrent.TimeUnit.SECONDS), "autostart");
    assertEquals("running", server.get(API + "/bots/em-2").json().get("status").asText());
    assertEquals(2, server.get(API + "/bots").json().get("bots").size());
    assertTrue(
        server
            .get(API + "/bots/em-1/logs")
            .json()
            .get("lines")
            .get(0)
            .asText()
            .contains("greeting=hi"));

    Response removed = server.delete(API + "/bots/em-1");

    assertEquals(200, removed.status());
    assertEquals("stopped", removed.json().get("status").asText());
    assertEquals(404, server.get(API + "/bots/em-1").status());
    assertEquals(List.of("em-2"), botIds());
    assertEquals(
        201, server.post(API + "/bots", "{\"id\": \"em-1\", \"type\": \"emitter\"}").status());
  }

  @Test
  void aRegistrationIsTakenLiterallyAClientNeverReadsTheServersEnvironment() {
    assertTrue(System.getenv("PATH") != null, "the test needs a variable the server has");

    Response r =
        server.post(
            API + "/bots", "{\"id\": \"lit\", \"type\": \"emitter\", \"name\": \"${PATH}\"}");

    assertEquals(201, r.status(), r.text());
    assertEquals("${PATH}", server.get(API + "/bots/lit").json().get("name").asText());
  }

  @Test
  void aBotRegisteredWithAScheduleShowsItAndItsNextStartAndStop() {
    Response r =
        server.post(
            API + "/bots",
            "{\"id\": \"night\", \"type\": \"emitter\", \"schedule\": {\"time_zone\":"
                + " \"UTC\", \"cron\": \"0 3 * * *\", \"run_for\": \"1h\"}}");
    assertEquals(201, r.status(), r.text());
    JsonNode bot = server.get(API + "/bots/night").json();
    assertEquals("0 3 * * *", bot.get("schedule").get("cron").asText(), bot.toString());
    assertEquals("UTC", bot.get("schedule").get("time_zone").asText());
    java.time.Instant start = java.time.Instant.parse(bot.get("next_start").asText());
    java.time.Instant stop = java.time.Instant.parse(bot.get("next_stop").asText());
    assertEquals(3, start.atZone(java.time.ZoneOffset.UTC).getHour(), bot.toString());
    assertEquals(java.time.Duration.ofHours(1), java.time.Duration.between(start, stop));
    JsonNode listed = server.get(API + "/bots").json().get("bots").get(0);
    assertEquals(bot.get("next_start"), listed.get("next_start"), "the list shows it too");
  }

  @Test
  void badSchedulesAre400NamingTheField() {
    Response r =
        server.post(
            API + "/bots",
            "{\"id\": \"x\", \"type\": \"emitter\", \"schedule\": {\"cron\": \"61 * * * *\","
                + " \"run_for\": \"1m\"}}");
    assertEquals(400, r.status(), r.text());
    assertEquals("INVALID_ARGUMENT", r.errorCode(), r.text());
    assertTrue(
        r.errorMessage().contains("schedule.cron: the minute field '61': 61 is outside 0-59"),
        r.errorMessage());
    Response both =
        server.post(
            API + "/bots",
            "{\"id\": \"x\", \"type\": \"emitter\", \"autostart\": true, \"schedule\":"
                + " {\"windows\": [{\"days\": \"MON-FRI\", \"from\": \"07:00\", \"to\":"
                + " \"22:00\"}]}}");
    assertEquals(400, both.status(), both.text());
    assertTrue(both.errorMessage().contains("drop autostart"), both.errorMessage());
    Response zone =
        server.post(
            API + "/bots",
            "{\"id\": \"x\", \"type\": \"emitter\", \"schedule\": {\"time_zone\":"
                + " \"Nowhere/Land\", \"cron\": \"* * * * *\", \"run_for\": \"1m\"}}");
    assertEquals(400, zone.status(), zone.text());
    assertTrue(
        zone.errorMessage().contains("unknown time zone 'Nowhere/Land'"), zone.errorMessage());
    assertEquals(404, server.get(API + "/bots/x").status(), "nothing was registered");
  }

  @Test
  void registeringATakenIdIs409() {
    server.runEmitter("taken");

    Response r = server.post(API + "/bots", "{\"id\": \"taken\", \"type\": \"emitter\"}");

    assertEquals(409, r.status());
    assertEquals("ALREADY_EXISTS", r.errorCode());
  }

  @Test
  void badRegistrationsAre400NamingTheField() {
    assertInvalid(server.post(API + "/bots", "{\"id\": \"x\", \"type\": \"warp\"}"), "type");
    assertInvalid(server.post(API + "/bots", "{\"type\": \"emitter\"}"), "id");
    assertInvalid(server.post(API + "/bots", "{\"id\": \"x\"}"), "type");
    assertInvalid(server.post(API + "/bots", "{\"id\": 7, \"type\": \"emitter\"}"), "id");
    assertInvalid(
        server.post(API + "/bots", "{\"id\": \"x\", \"type\": \"emitter\", \"colour\": 1}"),
        "colour");
    assertInvalid(
        server.post(API + "/bots", "{\"id\": \"x\", \"type\": \"emitter\", \"settings\": [1]}"),
        "settings");
    assertInvalid(
        server.post(
            API + "/bots",
            "{\"id\": \"x\", \"type\": \"emitter\", \"restart\": {\"max_retries\": \"lots\"}}"),
        "restart.max_retries");
    assertInvalid(
        server.post(API + "/bots", "{\"id\": \"has space\", \"type\": \"emitter\"}"), "id");
    assertEquals(List.of(), botIds());
  }

  @Test
  void settingsTheProvidersSchemaRefusesAre400NamingTheBotAndTheFieldAndNothingIsRegistered() {
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    bodies.put("{\"min_profit\": \"abc\"}", "min_profit: expected a decimal number");
    bodies.put("{\"colour\": 1}", "colour: unknown setting (known: greeting, mode, n,");
    bodies.put("{\"n\": 5000}", "n: must be 0..1000, was '5000'");
    bodies.put("{\"min_profit\": 1e50}", "min_profit: is out of range: more than 40 digits");
    bodies.put("{\"n\": 1e30}", "n: must be 0..1000");
    bodies.put("{\"n\": -1e30}", "n: must be 0..1000");
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      Response r =
          server.post(
              API + "/bots",
              "{\"id\": \"x\", \"type\": \"emitter\", \"settings\": " + e.getKey() + "}");
      assertEquals(400, r.status(), e.getKey() + " " + r.text());
      assertEquals("INVALID_CONFIG", r.errorCode(), r.text());
      assertTrue(r.errorMessage().startsWith("bot 'x': " + e.getValue()), r.errorMessage());
      String field = e.getValue().substring(0, e.getValue().indexOf(':'));
      assertEquals(
          "settings." + field,
          r.json().path("error").path("details").path("field").asText(),
          r.text());
      assertEquals("x", r.json().path("error").path("details").path("bot_id").asText());
    }
    // A number no JSON body may carry is refused before any schema sees it, naming the field.
    Response huge =
        server.post(
            API + "/bots",
            "{\"id\": \"x\", \"type\": \"emitter\", \"settings\": {\"min_profit\": 1e10000}}");
    assertEquals(400, huge.status(), huge.text());
    assertEquals(
        "settings.min_profit", huge.json().path("error").path("details").path("field").asText());
    assertEquals(List.of(), botIds());
  }

  @Test
  void startOverridesTheSchemaRefusesAre400AndTheBotStaysRegistered() {
    server.post(API + "/bots", "{\"id\": \"b\", \"type\": \"emitter\"}");
    for (String overrides :
        List.of("{\"n\": \"abc\"}", "{\"colour\": 1}", "{\"min_profit\": 1e50}")) {
      Response r = server.post(API + "/bots/b/start", "{\"settings\": " + overrides + "}");
      assertEquals(400, r.status(), overrides + " " + r.text());
      assertEquals("INVALID_CONFIG", r.errorCode(), r.text());
      assertTrue(r.errorMessage().startsWith("bot 'b': "), r.errorMessage());
    }
    assertEquals("registered", server.get(API + "/bots/b").json().get("status").asText());
    assertEquals(0, server.get(API + "/bots/b/logs").json().get("lines").size(), "never started");
  }

  @Test
  void malformedJsonIs400() {
    for (String body : List.of("{\"id\": ", "not json", "[1, 2]", "\"text\"")) {
      Response r = server.post(API + "/bots", body);
      assertEquals(400, r.status(), body);
      assertEquals("INVALID_ARGUMENT", r.errorCode(), body);
      assertEquals("body", r.json().path("error").path("details").path("field").asText(), body);
      assertFalse(r.text().contains("at com.") || r.text().contains("Exception"), r.text());
    }
  }

  @Test
  void startAndStopAreIdempotentAndReturnTheNewStatus() {
    server.post(API + "/bots", "{\"id\": \"b\", \"type\": \"emitter\"}");

    Response start1 = server.post(API + "/bots/b/start", null);
    Response start2 = server.post(API + "/bots/b/start", "");
    Response stop1 = server.post(API + "/bots/b/stop", null);
    Response stop2 = server.post(API + "/bots/b/stop", null);

    assertEquals(200, start1.status());
    assertEquals("running", start1.json().get("status").asText());
    assertEquals("running", start2.json().get("status").asText());
    assertEquals(start1.json().get("start_time"), start2.json().get("start_time"));
    assertEquals(200, stop1.status());
    assertEquals("stopped", stop1.json().get("status").asText());
    assertEquals("stopped", stop2.json().get("status").asText());
  }

  @Test
  void startTakesSettingsOverridesForThisRun() {
    server.post(
        API + "/bots",
        "{\"id\": \"b\", \"type\": \"emitter\", \"settings\": {\"mode\": \"calm\"}}");

    Response r =
        server.post(API + "/bots/b/start", "{\"settings\": {\"mode\": \"eager\", \"n\": 3}}");

    assertEquals(200, r.status(), r.text());
    String line = server.get(API + "/bots/b/logs").json().get("lines").get(0).asText();
    assertTrue(line.contains("mode=eager") && line.contains("n=3"), line);
    assertInvalid(server.post(API + "/bots/b/start", "{\"settings\": 5}"), "settings");
    assertInvalid(server.post(API + "/bots/b/start", "{\"mode\": \"x\"}"), "mode");
    JsonNode shown = server.get(API + "/bots/b").json();
    assertEquals("eager", shown.get("settings").get("mode").asText());
    assertEquals(3, shown.get("run_overrides").get("n").asInt());

    // On the running bot: restarted with them now, not at some later restart.
    Response again = server.post(API + "/bots/b/start", "{\"settings\": {\"mode\": \"wild\"}}");
    assertEquals("running", again.json().get("status").asText(), again.text());
    List<String> lines = texts(server.get(API + "/bots/b/logs").json().get("lines"));
    assertTrue(lines.get(lines.size() - 1).contains("mode=wild"), lines.toString());

    // For that run only: a plain start after a stop runs the registered settings.
    server.post(API + "/bots/b/stop", null);
    server.post(API + "/bots/b/start", null);
    lines = texts(server.get(API + "/bots/b/logs").json().get("lines"));
    assertTrue(lines.get(lines.size() - 1).contains("mode=calm"), lines.toString());
    assertEquals("calm", server.get(API + "/bots/b").json().get("settings").get("mode").asText());
    assertEquals(0, server.get(API + "/bots/b").json().get("run_overrides").size());
  }

  @Test
  void aBotCommandAnswersWithTheBotsReply() {
    server.runEmitter("scout");

    Response r =
        server.post(
            API + "/bots/scout/command",
            "{\"type\": \"log\", \"payload\": {\"count\": 2, \"message\": \"pong\"}}");

    assertEquals(200, r.status(), r.text());
    assertEquals("scout", r.json().get("bot_id").asText());
    assertEquals("log", r.json().get("command").asText());
    assertTrue(r.json().get("replied").asBoolean(), r.text());
    assertTrue(r.json().get("reply").get(0).asText().startsWith("0 pong"), r.text());

    assertEquals(400, server.post(API + "/bots/scout/command", "{\"type\": \"dance\"}").status());
    assertInvalid(server.post(API + "/bots/scout/command", "{}"), "type");
    assertInvalid(
        server.post(API + "/bots/scout/command", "{\"type\": \"log\", \"wait_ms\": 99999}"),
        "wait_ms");
    assertInvalid(
        server.post(API + "/bots/scout/command", "{\"type\": \"log\", \"extra\": 1}"), "extra");
    assertEquals(404, server.post(API + "/bots/ghost/command", "{\"type\": \"log\"}").status());
    server.post(API + "/bots/scout/stop", null);
    Response stopped = server.post(API + "/bots/scout/command", "{\"type\": \"log\"}");
    assertEquals(409, stopped.status(), stopped.text());
  }

  @Test
  void changedSettingsAreCheckedKeptAndRestartARunningBot() {
    server.post(
        API + "/bots",
        "{\"id\": \"b\", \"type\": \"emitter\", \"settings\": {\"mode\": \"calm\"}}");
    Response stored = server.post(API + "/bots/b/settings", "{\"settings\": {\"mode\": \"busy\"}}");
    assertEquals(200, stored.status(), stored.text());
    assertEquals("stored", stored.json().get("applied").asText());
    assertEquals("busy", stored.json().get("settings").get("mode").asText());

    server.post(API + "/bots/b/start", null);
    List<String> lines = texts(server.get(API + "/bots/b/logs").json().get("lines"));
    assertTrue(lines.get(lines.size() - 1).contains("mode=busy"), lines.toString());

    Response restarted = server.post(API + "/bots/b/settings", "{\"settings\": {\"n\": 7}}");
    assertEquals("restarted", restarted.json().get("applied").asText(), restarted.text());
    assertEquals("running", restarted.json().get("status").get("status").asText());
    lines = texts(server.get(API + "/bots/b/logs").json().get("lines"));
    assertTrue(
        lines.get(lines.size() - 1).contains("mode=busy")
            && lines.get(lines.size() - 1).contains("n=7"),
        lines.toString());

    assertInvalid(server.post(API + "/bots/b/settings", "{}"), "settings");
    assertInvalid(server.post(API + "/bots/b/settings", "{\"settings\": {}}"), "settings");
    assertInvalid(server.post(API + "/bots/b/settings", "{\"settings\": 3}"), "settings");
    assertEquals(
        404, server.post(API + "/bots/ghost/settings", "{\"settings\": {\"a\": 1}}").status());
  }

  @Test
  void changedSettingsTheSchemaRefusesAre400NamingTheBotAndTheFieldAndChangeNothing() {
    server.post(
        API + "/bots",
        "{\"id\": \"b\", \"type\": \"emitter\", \"settings\": {\"mode\": \"calm\","
            + " \"api_key\": \"sk-live-778899\"}}");
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    bodies.put("{\"min_profit\": \"abc\"}", "min_profit: expected a decimal number");
    bodies.put("{\"colour\": 1}", "colour: unknown setting (known: greeting, mode, n,");
    bodies.put("{\"n\": 5000}", "n: must be 0..1000, was '5000'");
    for (Map.Entry<String, String> e : bodies.entrySet()) {
      Response r = server.post(API + "/bots/b/settings", "{\"settings\": " + e.getKey() + "}");
      assertEquals(400, r.status(), e.getKey() + " " + r.text());
      assertEquals("INVALID_CONFIG", r.errorCode(), r.text());
      assertTrue(r.errorMessage().startsWith("bot 'b': " + e.getValue()), r.errorMessage());
      String field = e.getValue().substring(0, e.getValue().indexOf(':'));
      assertEquals(
          "settings." + field,
          r.json().path("error").path("details").path("field").asText(),
          r.text());
      assertEquals("b", r.json().path("error").path("details").path("bot_id").asText());
    }
    JsonNode bot = server.get(API + "/bots/b").json();
    assertEquals("calm", bot.path("settings").path("mode").asText(), bot.toString());
    assertEquals("***", bot.path("settings").path("api_key").asText(), "masked by the schema");
    assertFalse(bot.toString().contains("sk-live-778899"), bot.toString());
    assertFalse(bot.path("settings").has("n"), "nothing was changed: " + bot);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---------------------------------------------------------------- execute

  @Test
  void executeReturnsTheExecutionAndRefusesASecondOne() {
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    Response r = server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\"}");

    assertEquals(200, r.status(), r.text());
    JsonNode ex = r.json();
    assertEquals("opp-1", ex.get("opportunity_id").asText());
    assertEquals("paper", ex.get("mode").asText());
    assertEquals("confirmed", ex.get("status").asText());
    assertEquals("4000", ex.get("realized_profit").asText());
    assertEquals("4000", ex.get("expected_profit").asText());
    for (String field :
        List.of(
            "id",
            "reason",
            "tx_hashes",
            "gas_used",
            "realized_profit_usd",
            "started_at",
            "finished_at",
            "legs")) {
      assertTrue(ex.has(field), field);
    }
    Response again = server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\"}");
    assertEquals(409, again.status());
    assertEquals("ALREADY_EXECUTED", again.errorCode());
    assertEquals(1, server.executor.calls());
  }

  @Test
  void executeTakesASmallerAmountAndDryRun() {
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    Response dry =
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"dry_run\": true}");
    Response half =
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"amount\": \"500000\"}");

    assertEquals(200, dry.status(), dry.text());
    assertEquals("simulated", dry.json().get("status").asText());
    assertEquals(1, server.executor.dryRuns());
    assertEquals(200, half.status(), half.text());
    assertEquals("2000", half.json().get("realized_profit").asText());
  }

  @Test
  void badExecuteRequestsAre400NamingTheField() {
    server.runEmitter("scout");
    server.publish("scout", "opp-1", 4000, "12.5");

    assertInvalid(server.post(API + "/execute", "{}"), "opportunity_id");
    assertInvalid(server.post(API + "/execute", "{\"opportunity_id\": 5}"), "opportunity_id");
    assertInvalid(
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"amount\": \"1.5\"}"),
        "amount");
    assertInvalid(
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"amount\": \"-3\"}"),
        "amount");
    assertInvalid(
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"amount\": \"2000000\"}"),
        "amount");
    assertInvalid(
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"dry_run\": \"yes\"}"),
        "dry_run");
    assertInvalid(
        server.post(API + "/execute", "{\"opportunity_id\": \"opp-1\", \"speed\": 1}"), "speed");
    assertInvalid(
        server.post(
            API + "/execute",
            "{\"opportunity_id\": \"opp-1\"}",
            "Idempotency-Key",
            "k".repeat(201)),
        "idempotency_key");
    assertEquals(0, server.executor.calls());
  }

  @Test
  void executingAnUnknownOpportunityIs404() {
    Response r = server.post(API + "/execute", "{\"opportunity_id\": \"nope\"}");

    assertEquals(404, r.status());
    assertEquals("NOT_FOUND", r.errorCode());
  }

  @Test
  void executingAnExpiredOpportunityIs410() {
    server.runEmitter("scout");
    server.publish("scout", "old", 4000, "12.5");
    server.clock.putHttpThreadsAhead(Duration.ofHours(1));

    Response r = server.post(API + "/execute", "{\"opportunity_id\": \"old\"}");

    assertEquals(410, r.status(), r.text());
    assertEquals("EXPIRED", r.errorCode());
    assertEquals(0, server.executor.calls());
  }

  @Test
  void executeRejectedByRiskIs422NamingTheLimit() {
    server.close();
    server =
        TestServer.start(
            b -> b.riskLimits(new RiskLimits(null, null, null, new BigDecimal("100"), false)),
            s -> s);
    server.runEmitter("scout");
    server.publish("scout", "thin", 4000, "12.5");

    Response r = server.post(API + "/execute", "{\"opportunity_id\": \"thin\"}");

    assertEquals(422, r.status(), r.text());
    assertEquals("RISK_REJECTED", r.errorCode());
    assertEquals("min_net_profit", r.json().path("error").path("details").path("limit").asText());
    assertTrue(r.errorMessage().contains("min_net_profit"), r.errorMessage());
    assertEquals(0, server.executor.calls());
  }

  @Test
  void executeAfterTheKillSwitchIs422() {
    server.runEmitter("scout");
    server.publish("scout", "opp", 4000, "12.5");
    server.service.risk().trip("test");

    Response r = server.post(API + "/execute", "{\"opportunity_id\": \"opp\"}");

    assertEquals(422, r.status(), r.text());
    assertEquals("kill_switch", r.json().path("error").path("details").path("limit").asText());
  }

  // ---------------------------------------------------------------- monitoring

  @Test
  void monitoringIsSwitchedOnAndOff() {
    Response on = server.post(API + "/monitoring/start", null);
    Response onAgain = server.post(API + "/monitoring/start", null);

    assertEquals(200, on.status());
    assertTrue(on.json().get("monitoring").asBoolean());
    assertTrue(onAgain.json().get("monitoring").asBoolean());
    assertTrue(server.service.isMonitoring());

    Response off = server.post(API + "/monitoring/stop", null);

    assertEquals(200, off.status());
    assertFalse(off.json().get("monitoring").asBoolean());
    assertFalse(server.service.isMonitoring());
  }

  // ---------------------------------------------------------------- protocol errors

  @Test
  void unknownPathsAndMethodsAnswerInTheErrorShape() {
    Response missing = server.get(API + "/nothing-here");
    Response wrongMethod = server.delete(API + "/opportunities");

    assertEquals(404, missing.status());
    assertEquals("NOT_FOUND", missing.errorCode());
    assertEquals(405, wrongMethod.status());
    assertEquals("METHOD_NOT_ALLOWED", wrongMethod.errorCode());
  }

  @Test
  void oversizedBodiesAre413() {
    server.close();
    server = TestServer.start(b -> {}, s -> s.withMaxBodyBytes(1024));
    String big = "{\"id\": \"x\", \"type\": \"emitter\", \"name\": \"" + "n".repeat(2000) + "\"}";

    Response declared = server.post(API + "/bots", big);
    Response streamed =
        server.send(
            HttpRequest.newBuilder(server.uri(API + "/bots"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes()))));

    for (Response r : List.of(declared, streamed)) {
      assertEquals(413, r.status(), r.text());
      assertEquals("PAYLOAD_TOO_LARGE", r.errorCode());
    }
    assertEquals(List.of(), botIds());
  }

  @Test
  void requestsWhileShuttingDownAre503() {
    server.http.beginShutdown();

    Response r = server.get(API + "/bots");

    assertEquals(503, r.status());
    assertEquals("SHUTTING_DOWN", r.errorCode());
    assertNotNull(r.errorMessage());
  }

  // ---------------------------------------------------------------- helpers

  private List<String> botIds() {
    List<String> ids = new ArrayList<>();
    server.get(API + "/bots").json().get("bots").forEach(b -> ids.add(b.get("bot_id").asText()));
    return ids;
  }

  private static void assertInvalid(Response r, String field) {
    assertEquals(400, r.status(), r.text());
    assertEquals("INVALID_ARGUMENT", r.errorCode(), r.text());
    assertEquals(field, r.json().path("error").path("details").path("field").asText(), r.text());
    assertTrue(r.errorMessage().contains(field), r.errorMessage());
  }

  private static List<String> ids(JsonNode opportunities) {
    List<String> ids = new ArrayList<>();
    opportunities.forEach(o -> ids.add(o.get("id").asText()));
    return ids;
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
