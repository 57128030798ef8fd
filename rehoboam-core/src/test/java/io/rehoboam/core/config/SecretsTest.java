package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rehoboam.spi.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static Settings settings() {
    Map<String, Object> wallet = new LinkedHashMap<>();
    wallet.put("address", "0xpublic");
    wallet.put("Private_Key", "0xdeadbeefcafe");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("rpc_url", "https://rpc.example");
    values.put("API_KEY", "k-123456");
    values.put("wallet", wallet);
    values.put("signers", List.of(Map.of("private_key", "0xsigner01"), "plain"));
    values.put("pin", 1234567);
    values.put("password", "abc");
    return Settings.of(values);
  }

  private static final Set<String> SENSITIVE = Set.of("api_key", "private_key", "PIN", "password");

  @Test
  void maskReplacesSensitiveValuesAtAnyDepthCaseInsensitively() {
    Map<String, Object> masked = Secrets.mask(settings(), SENSITIVE);

    Map<String, Object> wallet = new LinkedHashMap<>();
    wallet.put("address", "0xpublic");
    wallet.put("Private_Key", "***");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("rpc_url", "https://rpc.example");
    expected.put("API_KEY", "***");
    expected.put("wallet", wallet);
    expected.put("signers", List.of(Map.of("private_key", "***"), "plain"));
    expected.put("pin", "***");
    expected.put("password", "***");
    assertEquals(expected, masked);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(masked.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> masked.put("x", 1));
  }

  @Test
  void aSensitiveSectionIsMaskedWhole() {
    Settings s = Settings.of(Map.of("credentials", Map.of("user", "bob", "token", "t0k3n")));
    assertEquals(Map.of("credentials", "***"), Secrets.mask(s, Set.of("Credentials")));
  }

  @Test
  void maskWithoutSensitiveNamesIsAPlainCopy() {
    assertEquals(settings().asMap(), Secrets.mask(settings(), Set.of()));
  }

  @Test
  void secretValuesIncludeNestedAndIgnoreShortValues() {
    assertEquals(
        Set.of("k-123456", "0xdeadbeefcafe", "0xsigner01", "1234567"),
        Secrets.secretValues(settings(), SENSITIVE));
    Settings section = Settings.of(Map.of("credentials", Map.of("user", "bob", "token", "t0k3n")));
    assertEquals(Set.of("t0k3n"), Secrets.secretValues(section, Set.of("credentials")));
  }

  @Test
  void redactReplacesEveryOccurrence() {
    Set<String> secrets = Secrets.secretValues(settings(), SENSITIVE);
    assertEquals(
        "connect with *** failed, key *** rejected (***)",
        Secrets.redact(
            "connect with k-123456 failed, key 0xdeadbeefcafe rejected (k-123456)", secrets));
    assertEquals("nothing secret", Secrets.redact("nothing secret", secrets));
    assertNull(Secrets.redact(null, secrets));
  }

  @Test
  void redactPrefersTheLongerOfOverlappingSecrets() {
    assertEquals(
        "a *** b ***", Secrets.redact("a secret-long b secret", List.of("secret", "secret-long")));
    assertEquals("unchanged", Secrets.redact("unchanged", List.of("")));
  }

  @Test
  void redactTreatsSecretsLiterally() {
    assertEquals("p=***;", Secrets.redact("p=a.b$1\\;", List.of("a.b$1\\")));
  }
}
