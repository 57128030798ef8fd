package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.ErrorCode;
import io.rehoboam.spi.RehoboamException;
import io.rehoboam.spi.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${VAR}} and {@code ${VAR:-default}} in configuration values, and unquoted addresses. */
class EnvInterpolationTest {
  private static RehoboamConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "test.yaml", env);
  }

  @Test
  void referencesAreReplacedInEveryStringValueWhereverTheyStand() {
    RehoboamConfig config =
        parse(
            """
            sources:
              mainnet:
                type: evm
                rpc_url: https://eth-mainnet.g.alchemy.com/v2/${ALCHEMY_API_KEY}
                chain_id: ${CHAIN_ID:-1}
                labels: ["${A}-${B}", plain]
            bots:
              - id: m
                type: live_monitor
                restart: {max_retries: "${RETRIES:-4}"}
                settings: {min_profit: "${MIN_PROFIT:-2.5}", note: "cost $5, not ${UNSET:-free}"}
            server:
              port: ${PORT:-8000}
            """,
            Map.of("ALCHEMY_API_KEY", "k3y", "A", "x", "B", "y", "PORT", "9001"));

    Settings mainnet = config.sources().section("mainnet");
    assertEquals(
        "https://eth-mainnet.g.alchemy.com/v2/k3y", mainnet.string("rpc_url").orElseThrow());
    assertEquals(1, mainnet.intValue("chain_id", 0));
    assertEquals(List.of("x-y", "plain"), mainnet.raw("labels").orElseThrow());
    BotConfig bot = config.bots().get(0);
    assertEquals(4, bot.restart().maxRetries());
    assertEquals("2.5", bot.settings().string("min_profit").orElseThrow());
    assertEquals("cost $5, not free", bot.settings().string("note").orElseThrow());
    assertEquals(9001, config.server().intValue("port", 0));
  }

  @Test
  void aDefaultIsUsedWhenTheVariableIsUnsetOrEmptyAndAValueIsAlwaysText() {
    RehoboamConfig config =
        parse(
            """
            sources:
              s: {type: sim, a: "${EMPTY:-fallback}", b: "${ZEROS}", c: "${X:-}"}
            """,
            Map.of("EMPTY", "", "ZEROS", "0123"));
    Settings s = config.sources().section("s");
    assertEquals("fallback", s.string("a").orElseThrow());
    // text, not YAML's octal 83
    assertEquals("0123", s.raw("b").orElseThrow());
    assertEquals("", s.raw("c").orElseThrow());
  }

  @Test
  void aReplacedValueIsNotReadAgainAndDollarDollarIsALiteral() {
    RehoboamConfig config =
        parse(
            """
            sources:
              s: {type: sim, a: "${INNER}", b: "$${NOT_A_REFERENCE}", c: "price $ 5"}
            """,
            Map.of("INNER", "${SECRET}"));
    Settings s = config.sources().section("s");
    assertEquals("${SECRET}", s.string("a").orElseThrow());
    assertEquals("${NOT_A_REFERENCE}", s.string("b").orElseThrow());
    assertEquals("price $ 5", s.string("c").orElseThrow());
  }

  @Test
  void keysAreNeverReplaced() {
    RehoboamConfig config =
        parse("sources:\n  s: {type: sim, \"${K}\": 1}\n", Map.of("K", "replaced"));
    assertTrue(config.sources().section("s").has("${K}"));
    assertFalse(config.sources().section("s").has("replaced"));
  }

  @Test
  void anUnsetVariableWithoutADefaultIsAnErrorNamingThePlaceAndTheVariable() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                parse(
                    "sources:\n  mainnet: {type: evm, rpc_url: \"https://x/v2/${ALCHEMY_API_KEY}\"}\n",
                    Map.of("OTHER", "secret-value")));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertEquals(
        "test.yaml: sources.mainnet.rpc_url: environment variable ALCHEMY_API_KEY is not set (set"
            + " it, or write ${ALCHEMY_API_KEY:-default} for a default)",
        e.getMessage());
  }

  @Test
  void aMalformedReferenceIsAnErrorThatDoesNotEchoItsText() {
    RehoboamException e =
        assertThrows(
            RehoboamException.class,
            () ->
                parse(
                    "bots:\n  - {id: b, type: sim, settings: {key: \"${sk-live-123}\"}}\n",
                    Map.of()));
    assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    assertTrue(e.getMessage().startsWith("test.yaml: bots[0].settings.key: "), e.getMessage());
    assertFalse(e.getMessage().contains("sk-live-123"), e.getMessage());
  }

  @Test
  void addressesAndHashesNeedNoQuotesAndKeepTheirLeadingZeros() {
    RehoboamConfig config =
        parse(
            """
            sources:
              mainnet:
                type: evm
                pools:
                  - 0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc
                  - {address: 0x000000000000000000000000000000000000dEaD, dex: sushiswap}
                tx: 0x00000000000000000000000000000000000000000000000000000000000000ff
                small: 0x1f
            """,
            Map.of());
    Settings mainnet = config.sources().section("mainnet");
    List<?> pools = (List<?>) mainnet.raw("pools").orElseThrow();
    assertEquals("0xB4e16d0168e52d35CaCD2c6185b44281Ec28C9Dc", pools.get(0));
    assertEquals(
        "0x000000000000000000000000000000000000dEaD", ((Map<?, ?>) pools.get(1)).get("address"));
    assertEquals(
        "0x00000000000000000000000000000000000000000000000000000000000000ff",
        mainnet.raw("tx").orElseThrow());
    // a short hexadecimal literal is still the number YAML says
    assertEquals(31, mainnet.intValue("small", 0));
  }
}
