package io.rehoboam.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rehoboam.spi.SecretNames;
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
  void maskWithoutSecretLookingOrDeclaredNamesIsAPlainCopy() {
    Settings plain =
        Settings.of(Map.of("rpc_url", "https://rpc.example", "pin", 1234567, "venue", "uni"));
    assertEquals(plain.asMap(), Secrets.mask(plain, Set.of()));
  }

  @Test
  void namesThatLookSecretAreMaskedWithoutBeingDeclared() {
    Map<String, Object> masked = Secrets.mask(settings(), Set.of());
    assertEquals("***", masked.get("API_KEY"));
    assertEquals("***", masked.get("password"));
    assertEquals(Map.of("address", "0xpublic", "Private_Key", "***"), masked.get("wallet"));
    assertEquals(1234567, masked.get("pin"), "pin is only secret when declared");
  }

  @Test
  void theNameRule() {
    for (String secret :
        List.of(
            "private_key",
            "PRIVATE_KEY",
            "privateKey",
            "api_key",
            "apikey",
            "client_secret",
            "auth_token",
            "token",
            "db_password",
            "passwd",
            "private",
            "keystore_password_env")) {
      assertTrue(SecretNames.looksSecret(secret), secret);
    }
    for (String plain :
        List.of("venue", "rpc_url", "start_tokens", "tokens", "min_profit", "env", "command")) {
      assertFalse(SecretNames.looksSecret(plain), plain);
    }
  }

  @Test
  void environmentMapsShowNoValue() {
    Settings s =
        Settings.of(
            Map.of(
                "env", Map.of("MODE", "fast", "PRIVATE_KEY", "0xk"),
                "pass_env", List.of("AWS_*")));
    assertEquals(
        Map.of("env", Map.of("MODE", "***", "PRIVATE_KEY", "***"), "pass_env", List.of("AWS_*")),
        Secrets.mask(s, Set.of()));
  }

  @Test
  void withoutSecretsDropsSecretsAtAnyDepthAndKeepsVariableReferences() {
    Settings s =
        Settings.of(
            Map.of(
                "env",
                Map.of("MODE", "fast", "PRIVATE_KEY", "0xk"),
                "private_key_env",
                "SIGNER_KEY",
                "private_key",
                "0xsecret",
                "signers",
                List.of(Map.of("api_key", "k1", "name", "a")),
                "pin",
                1234,
                "start_tokens",
                List.of("0xe1")));
    assertEquals(
        Map.of(
            "env", Map.of("MODE", "fast"),
            "private_key_env", "SIGNER_KEY",
            "signers", List.of(Map.of("name", "a")),
            "start_tokens", List.of("0xe1")),
        Secrets.withoutSecrets(s, Set.of("PIN")).asMap());
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
